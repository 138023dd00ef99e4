using System.Text.Json;
using Grpc.Core;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Federated distillation over gRPC: clients of two kinds of network share soft labels on a transfer set, each kind's
/// accuracy reported apart; soft labels that are not probabilities are refused and never reach the consensus.
/// </summary>
public sealed class FederatedDistillationTests : IDisposable
{
    private const int TransferSamples = 120;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-feddistill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulate_runs_clients_of_two_networks_that_share_soft_labels_and_reports_each_networks_accuracy()
    {
        string output = Path.Combine(_dir, "run");

        var result = await CliProcess.RunAsync(TestCoordinator.Patience, "simulate", "--dataset", "synthetic", "--clients", "2", "--rounds", "2",
            "--local-epochs", "1", "--client-models", "cnn,mlp", "--transfer-data", TransferData(), "--transfer-samples", $"{TransferSamples}",
            "--strategy", "consensus", "--eval-every", "1", "--eval-clients", "all", "--codec", "topk:0.1>q:4", "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var rounds = summary.RootElement.GetProperty("rounds");
        Assert.Equal(2, rounds.GetArrayLength());
        foreach (var round in rounds.EnumerateArray())
        {
            Assert.Equal((2, 0), (round.GetProperty("participants").GetInt32(), round.GetProperty("rejected").GetInt32()));
            var byModel = round.GetProperty("federated_eval").GetProperty("by_model").EnumerateArray().ToList();
            Assert.Equal(["cnn", "mlp"], byModel.Select(m => m.GetProperty("model").GetString()));
            Assert.All(byModel, m => Assert.InRange(m.GetProperty("accuracy").GetDouble(), 0.0, 1.0));
        }
        // Soft labels of 120 samples at 10 % density and 4 bits: far less than the 120 x 10 float32 values they stand for.
        Assert.InRange(rounds[1].GetProperty("uplink_bytes").GetInt64(), 1, 2 * 4 * TransferSamples * 10);
        Assert.Contains("cnn=", File.ReadAllLines(Path.Combine(output, "rounds.csv"))[1]);
    }

    public static TheoryData<string, string> HostileSoftLabels => new()
    {
        { "row-above-one", "sums to" },
        { "negative", "probabilities must be in [0, 1]" },
        { "above-one", "probabilities must be in [0, 1]" },
        { "not-finite", "finite" },
    };

    [Theory]
    [MemberData(nameof(HostileSoftLabels))]
    public async Task Soft_labels_that_are_not_probabilities_are_refused_and_the_consensus_is_the_honest_ones(string kind, string expected)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1", ["Federation:Rounds"] = "1", ["Federation:ClientModels"] = "mlp", ["Federation:TransferData"] = TransferData(),
            ["Federation:TransferSamples"] = $"{TransferSamples}", ["Federation:Strategy"] = "consensus", ["Federation:EvalEvery"] = "1",
        });
        var layout = new ModelLayout([new TensorInfo(KnowledgeSharing.ConsensusTensor, [TransferSamples, 10])]);
        using var client = new RawClient(coordinator.Address, "client-0000") { LayoutFingerprint = layout.Fingerprint };
        await client.JoinAsync(100);
        var (task, _) = await client.NextTrainTask();
        var honest = new float[layout.TotalLength];
        for (int row = 0; row < TransferSamples; row++) honest[row * 10 + row % 10] = 1;

        byte[] hostile = Payload(layout, Hostile(honest, kind)), sent = Payload(layout, honest);
        var error = await client.PushRefusedAsync(client.HeaderFor(task, hostile.Length), PayloadChunks.Split(hostile));
        var (receipt, _) = await client.PushAsync(client.HeaderFor(task, sent.Length), PayloadChunks.Split(sent));
        // The evaluation after the round brings the consensus the round made, whole.
        var (evaluate, consensus) = await client.NextTask(TaskAction.Evaluate, client.TaskRequest());
        await client.Rpc.ReportEvaluationAsync(new EvaluationReport { ClientId = client.ClientId, Round = evaluate.Round, ModelVersion = evaluate.ModelVersion });

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
        Assert.True(receipt?.Accepted);
        Assert.Equal(2, evaluate.ModelVersion);
        var decoded = new float[layout.TotalLength];
        UpdateDecoder.Decode(consensus, layout, decoded);
        Assert.Equal(honest, decoded);
    }

    private static float[] Hostile(float[] honest, string kind)
    {
        var labels = honest.ToArray();
        switch (kind)
        {
            case "row-above-one": labels[1] = 0.9f; labels[2] = 0.9f; break;
            case "negative": labels[3] = -0.25f; break;
            case "above-one": labels[0] = 1.5f; break;
            default: labels[4] = float.PositiveInfinity; break;
        }
        return labels;
    }

    /// <summary>The soft labels encoded losslessly.</summary>
    private static byte[] Payload(ModelLayout layout, float[] softLabels) => new UpdateEncoder(layout, CodecSpec.Parse("none")).Encode(softLabels);

    private string TransferData()
    {
        string folder = Path.Combine(_dir, "transfer");
        if (!Directory.Exists(folder)) SiteFiles.WriteIdx(SyntheticDigits.Create(trainCount: 10, testCount: TransferSamples, seed: 3).Test, folder, "transfer");
        return folder;
    }
}
