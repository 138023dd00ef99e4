using System.Text.Json;
using Grpc.Core;
using PoolCompress.Protos.V1;
using PoolCompress.Reporting;
using PoolCompress.Simulation;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A run that meets hostile numbers keeps its results: a client claims long.MaxValue training and validation samples
/// at join (their sum once threw after the last round, and no summary.json was written) and reports training that
/// took double.MaxValue seconds. The run completes, says in its files what it refused, and every figure is finite.
/// </summary>
public sealed class HostileNumbersRunTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("poolcompress-hostile-numbers-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public async Task A_run_meeting_hostile_numbers_writes_its_summary_and_rounds_saying_what_it_refused()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(long.MaxValue, validationCount: long.MaxValue);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);
        var (task, _) = await rogue.NextTrainTask();
        byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
        var header = rogue.HeaderFor(task, zeros.Length);
        header.TrainSeconds = double.MaxValue;
        var refusal = await rogue.PushRefusedAsync(header, PayloadChunks.Split(zeros));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await Task.WhenAll(honest);

        RunFiles.Write(_out, coordinator.Run.SummaryAt(status));

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Contains("train_seconds", refusal.Status.Detail);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "summary.json")));
        var round = summary.RootElement.GetProperty("rounds")[0];
        Assert.Equal(1, round.GetProperty("rejected").GetInt32());
        Assert.Equal(2, round.GetProperty("participants").GetInt32());
        Assert.True(double.IsFinite(round.GetProperty("mean_train_seconds").GetDouble()));
        Assert.Equal(long.MaxValue, summary.RootElement.GetProperty("data").GetProperty("train").GetInt64());
        var rounds = await File.ReadAllLinesAsync(Path.Combine(_out, "rounds.csv"));
        Assert.Equal(2, rounds.Length);
        Assert.Equal("1", Column(rounds, "rejected"));
    }

    private static string Column(string[] csv, string name) => csv[1].Split(',')[Array.IndexOf(csv[0].Split(','), name)];
}
