using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A client claiming an absurd sample count, or re-joining to claim a larger one, must not take over the global
/// model: two honest clients and a rogue that pushes +1 everywhere, and the model must move by about the rogue's
/// fair share of that +1, not by all of it (or by minus all of it, as a wrapped total once did).
/// </summary>
public sealed class BoundedInfluenceTests
{
    public static TheoryData<string, long, long, double, double> Cases => new()
    {
        // case, first claim, second claim (0: no re-join), least and most mean movement of the model
        { "max-sample-count", long.MaxValue, 0, 0.2, 0.5 },
        { "equal-weights", 1L << 40, 0, 0.2, 0.5 },
        { "re-join", 1, 1L << 28, -0.2, 0.2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_rogue_sample_count_cannot_take_over_the_model(string rule, long firstClaim, long secondClaim, double least, double most)
    {
        var config = new Dictionary<string, string?> { ["Federation:Clients"] = "3", ["Federation:Rounds"] = "1", ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout };
        if (rule == "max-sample-count") config["Federation:MaxSampleCount"] = "1";
        if (rule == "equal-weights") config["Federation:EqualWeights"] = "true";
        await using var coordinator = await TestCoordinator.StartAsync(config);
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(firstClaim);
        if (secondClaim > 0) await rogue.JoinAsync(secondClaim);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);

        var (task, _) = await rogue.NextTrainTask();
        byte[] ones = RawClient.DenseCnnPayload(_ => 1f);
        var (receipt, error) = await rogue.PushAsync(rogue.HeaderFor(task, ones.Length), PayloadChunks.Split(ones));
        Assert.True(receipt?.Accepted, error?.Status.Detail);
        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await Task.WhenAll(honest);

        var (before, after) = await GlobalModels(coordinator, task.ModelVersion);
        double movement = after.Zip(before, (a, b) => (double)a - b).Average();
        Assert.InRange(movement, least, most);
    }

    [Fact]
    public async Task With_a_clip_norm_an_update_of_1e3_everywhere_moves_the_model_no_further_than_the_clip()
    {
        const double clipNorm = 1.0;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
            ["Federation:ClipNorm"] = clipNorm.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(1000);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);

        var (task, _) = await rogue.NextTrainTask();
        byte[] huge = RawClient.DenseCnnPayload(i => i % 2 == 0 ? 1e3f : -1e3f);
        var (receipt, error) = await rogue.PushAsync(rogue.HeaderFor(task, huge.Length), PayloadChunks.Split(huge));
        Assert.True(receipt?.Accepted, error?.Status.Detail);
        var round = (await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience)).History[0];
        await Task.WhenAll(honest);

        // A weighted mean of updates no longer than the clip is no longer than the clip.
        var (before, after) = await GlobalModels(coordinator, task.ModelVersion);
        double moved = Math.Sqrt(after.Zip(before, (a, b) => ((double)a - b) * ((double)a - b)).Sum());
        Assert.InRange(moved, 0, clipNorm * 1.001);
        Assert.InRange(round.Clipped, 1, 3);
    }

    private const long HonestClaim = 200;
    private const float HonestStep = 0.01f;

    public static TheoryData<string, long, bool> Rogues => new()
    {
        // case, the rogue's claim at join, whether its round-2 update is +-1e3 everywhere (else as long as an honest one)
        { "lying count", long.MaxValue, false },
        { "1e3 update", HonestClaim, true },
        { "both", long.MaxValue, true },
    };

    /// <summary>
    /// Default settings, ten raw clients: nine honest ones claim 200 samples and step along coordinate 0; the rogue
    /// steps along the other coordinates, so the model's change splits into its part and theirs. Round 1 sets round
    /// 2's norm bound; in round 2 the rogue's part of the change must stay within three times its fair share (3/n).
    /// </summary>
    [Theory]
    [MemberData(nameof(Rogues))]
    public async Task By_default_no_client_owns_more_than_three_times_its_fair_share_of_a_round(string rogueCase, long claim, bool huge)
    {
        const int n = 10;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = $"{n}", ["Federation:Rounds"] = "2", ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        var clients = Enumerable.Range(0, n).Select(c => new RawClient(coordinator.Address, c == 0 ? "rogue" : $"honest-{c}")).ToList();
        try
        {
            foreach (var client in clients) await client.JoinAsync(client == clients[0] ? claim : HonestClaim);
            await PushRound(clients, rogue: i => i == 1 ? HonestStep : 0f);
            var round2 = await PushRound(clients, rogue: i => i == 0 ? 0f : huge ? (i % 2 == 0 ? 1e3f : -1e3f) : i == 1 ? HonestStep : 0f);
            await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

            var (before, after) = await GlobalModels(coordinator, round2.ModelVersion);
            double honestPart = Math.Abs((double)after[0] - before[0]);
            double roguePart = Math.Sqrt(after.Zip(before, (a, b) => ((double)a - b) * ((double)a - b)).Skip(1).Sum());
            double share = roguePart / (roguePart + honestPart);
            Assert.True(share <= 3.0 / n, $"{rogueCase}: the rogue owned {share:P1} of round 2's change");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Every client pushes its update for the round in progress; honest ones step along coordinate 0. Returns the rogue's task.</summary>
    private static async Task<TaskHeader> PushRound(IReadOnlyList<RawClient> clients, Func<int, float> rogue)
    {
        TaskHeader? rogueTask = null;
        foreach (var client in clients)
        {
            var (task, _) = await client.NextTrainTask();
            byte[] payload = RawClient.DenseCnnPayload(client == clients[0] ? rogue : i => i == 0 ? HonestStep : 0f);
            var (receipt, error) = await client.PushAsync(client.HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
            Assert.True(receipt?.Accepted, error?.Status.Detail);
            rogueTask ??= task;
        }
        return rogueTask!;
    }

    private static async Task<(float[] Before, float[] After)> GlobalModels(TestCoordinator coordinator, long baseVersion)
    {
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var before = await store.LoadAsync(ModelSeries.Global("default"), baseVersion);
        var after = await store.LoadAsync(ModelSeries.Global("default"), baseVersion + 1);
        return (before!, after!);
    }
}
