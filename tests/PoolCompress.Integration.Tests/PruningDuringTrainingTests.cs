using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;
using static PoolCompress.TestSupport.TestCoordinator;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Pruning during training over gRPC: a real coordinator and clients agree on every pruned model without a mask
/// sent (a client that disagreed would fetch the whole model), the global model never holds a weight clients cannot
/// receive, and an update with a value at a pruned coordinate is refused.
/// </summary>
public sealed class PruningDuringTrainingTests
{
    private const string FederationId = "default";

    [Fact]
    public async Task Clients_and_coordinator_prune_alike_and_neither_direction_carries_a_pruned_coordinate()
    {
        await using var coordinator = await StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "4",
            ["Federation:Rounds"] = "4",
            ["Federation:Fraction"] = "0.5",
            ["Federation:MinClients"] = "2",
            ["Federation:Codec"] = "topk:0.05:global>q:8",
            ["Federation:DownlinkCodec"] = "topk:0.05:global>q:8;predict=0.5",
            ["Federation:PruneDuringTraining"] = "0.5",
            ["Federation:PruneRounds"] = "2",
            ["Federation:RoundTimeout"] = SettledRoundTimeout,
        });
        var clients = EndToEndFederationTests.StartClients(coordinator.Address, 4);

        var status = await coordinator.WaitUntilDoneAsync(Patience);
        var summaries = await Task.WhenAll(clients);

        // Each client pruned every step it applied as the coordinator did, or the hash would have sent it the whole model.
        Assert.All(summaries, s => Assert.Equal(0, s.WholeModels));
        Assert.All(status.History, r => Assert.Equal(0, r.Rejected));
        var layout = coordinator.App.Services.GetRequiredService<CoordinatorModel>().Layout;
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var prunable = Enumerable.Range(0, layout.Count).Where(i => GradualPruning.IsPrunable(layout[i])).ToList();
        Assert.NotEmpty(prunable);
        var pruning = new GradualPruning(0.5f, 2);
        int versionsChecked = 0;
        for (long version = 2; version <= status.History.Count + 1; version++)
        {
            // The store keeps the last few versions only.
            if (await store.LoadAsync(ModelSeries.Published(FederationId), version - 1) is not { } before
                || await store.LoadAsync(ModelSeries.Published(FederationId), version) is not { } published
                || await store.LoadAsync(ModelSeries.Global(FederationId), version) is not { } global) continue;
            versionsChecked++;
            // The global model takes the zeros of the published model it followed.
            var maskedGlobal = (float[])global.Clone();
            pruning.LiveOf(layout, before, version - 1).ZeroPruned(maskedGlobal);
            Assert.Equal(maskedGlobal, global);
            var live = pruning.LiveOf(layout, published, version);
            foreach (var i in prunable.Where(live.IsCompacted))
                Assert.Equal((int)(pruning.SparsityOf(version) * layout[i].Length), layout[i].Length - live.LengthOf(i));
            Assert.True(live.PrunedCount > 0, $"version {version} has no pruned coordinate");
        }
        Assert.True(versionsChecked > 0, "the model store kept no version to check");
    }

    [Fact]
    public async Task An_update_with_a_value_at_a_pruned_coordinate_is_refused_and_the_round_completes()
    {
        await using var coordinator = await StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "2",
            ["Federation:PruneDuringTraining"] = "0.5",
            ["Federation:PruneRounds"] = "1",
            ["Federation:RoundTimeout"] = SettledRoundTimeout,
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(100);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);
        // The initial model is not pruned yet: a dense update of zeros is a valid one.
        var (first, _) = await rogue.NextTrainTask();
        byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
        var (receipt, _) = await rogue.PushAsync(rogue.HeaderFor(first, zeros.Length), PayloadChunks.Split(zeros));
        Assert.True(receipt?.Accepted);

        // Version 2 has half of each prunable tensor at zero; this update puts a value at every coordinate.
        var (second, _) = await rogue.NextTrainTask();
        Assert.Equal(2, second.ModelVersion);
        byte[] everywhere = RawClient.DenseCnnPayload(_ => 0.01f);
        var error = await rogue.PushRefusedAsync(rogue.HeaderFor(second, everywhere.Length), PayloadChunks.Split(everywhere));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("update rejected", error.Status.Detail);
        var status = await coordinator.WaitUntilDoneAsync(Patience);
        Assert.Equal(1, status.History[1].Rejected);
        Assert.Equal(2, status.History[1].Participants);
        await Task.WhenAll(honest);
    }
}
