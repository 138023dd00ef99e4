using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Federated evaluation costs no extra model: a client evaluates the model it is about to train on, so the task that
/// follows the evaluation (another evaluation of it, or training on it) brings no model at all.
/// </summary>
public sealed class EvaluationDownlinkTests
{
    [Fact]
    public async Task An_evaluate_or_train_task_to_a_client_holding_its_model_carries_no_model_payload()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:Rounds"] = "2",
            ["Federation:EvalEvery"] = "1",
            ["Federation:Dataset"] = "none",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        using var client = new RawClient(coordinator.Address, "site-a");
        await client.JoinAsync(100);
        var (train, _) = await client.NextTrainTask();
        byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
        Assert.Null((await client.PushAsync(client.HeaderFor(train, zeros.Length), PayloadChunks.Split(zeros))).Error);

        var (evaluate, model) = await NextTask(client, TaskAction.Evaluate, knownVersion: 0, knownHash: 0);
        var weights = new float[RawClient.CnnLayout().TotalLength];
        UpdateDecoder.Decode(model, RawClient.CnnLayout(), weights);
        ulong hash = ModelHash.Of(weights);
        Assert.Equal((0L, evaluate.ModelHash), (evaluate.BaseModelVersion, hash));
        Assert.Equal(zeros.Length, model.Length);

        var (again, nothing) = await NextTask(client, TaskAction.Evaluate, evaluate.ModelVersion, hash);
        var (otherModel, whole) = await NextTask(client, TaskAction.Evaluate, evaluate.ModelVersion, hash + 1);
        await client.Rpc.ReportEvaluationAsync(new EvaluationReport { ClientId = client.ClientId, Round = evaluate.Round, ModelVersion = evaluate.ModelVersion });
        var (trainOnIt, none) = await NextTask(client, TaskAction.Train, evaluate.ModelVersion, hash);

        Assert.Equal((0L, evaluate.ModelVersion, evaluate.ModelHash), (again.PayloadBytes, again.BaseModelVersion, again.ModelHash));
        Assert.Empty(nothing);
        Assert.Equal((0L, model.Length), (otherModel.BaseModelVersion, whole.Length));
        Assert.Equal((evaluate.ModelVersion, 0L, evaluate.ModelVersion), (trainOnIt.ModelVersion, trainOnIt.PayloadBytes, trainOnIt.BaseModelVersion));
        Assert.Empty(none);
    }

    [Fact]
    public async Task With_evaluation_every_round_each_client_downloads_each_model_once_and_trains_the_same_models()
    {
        const int rounds = 3, clients = 3;
        var evaluated = await RunAsync(rounds, clients, evalEvery: 1);
        var unevaluated = await RunAsync(rounds, clients, evalEvery: 0);

        Assert.Equal(unevaluated.ModelHashes, evaluated.ModelHashes);
        // Round 1 trains on the seeded initial model every client built itself: only framing comes down.
        Assert.InRange(evaluated.Downlink[0], 1, evaluated.WholeModel / 10);
        // Later rounds: the model evaluated after the round before, once to each client; training on it downloads nothing.
        Assert.All(evaluated.Downlink.Skip(1), bytes => Assert.InRange(bytes, clients * evaluated.WholeModel, clients * evaluated.WholeModel * 11 / 10));
        Assert.True(evaluated.Downlink.Sum() <= unevaluated.Downlink.Sum() * 11 / 10,
            $"with evaluation {evaluated.Downlink.Sum()} downlink bytes, without {unevaluated.Downlink.Sum()}");
        // Each client took one whole model per evaluation (the last one's bytes come after the last round's figures).
        Assert.All(evaluated.Summaries, s => Assert.Equal((rounds, rounds), (s.RoundsTrained, s.WholeModels)));
    }

    private sealed record Run(long[] Downlink, ulong[] ModelHashes, long WholeModel, PoolCompress.Client.ClientRunSummary[] Summaries);

    private static async Task<Run> RunAsync(int rounds, int clients, int evalEvery)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = clients.ToString(),
            ["Federation:MinClients"] = clients.ToString(),
            ["Federation:Rounds"] = rounds.ToString(),
            ["Federation:EvalEvery"] = evalEvery.ToString(),
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        var running = EndToEndFederationTests.StartClients(coordinator.Address, clients);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        var summaries = await Task.WhenAll(running);
        Assert.All(status.History, round => Assert.Equal(clients, round.Participants));
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var hashes = new ulong[rounds];
        for (int version = 2; version <= rounds + 1; version++)
            hashes[version - 2] = ModelHash.Of(await store.LoadAsync(ModelSeries.Global("default"), version) ?? throw new InvalidOperationException($"no model version {version}"));
        long wholeModel = coordinator.App.Services.GetRequiredService<CoordinatorModel>().ParameterCount * 4L;
        return new Run([.. status.History.Select(r => r.DownlinkBytes)], hashes, wholeModel, summaries);
    }

    /// <summary>The next task of <paramref name="action"/> for a client that states the model it holds, and its payload.</summary>
    private static Task<(TaskHeader Header, byte[] Model)> NextTask(RawClient client, TaskAction action, long knownVersion, ulong knownHash)
    {
        var request = client.TaskRequest();
        request.KnownModelVersion = knownVersion;
        request.KnownModelHash = knownHash;
        return client.NextTask(action, request);
    }
}
