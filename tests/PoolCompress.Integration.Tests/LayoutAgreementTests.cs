using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PoolCompress.Client;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Services;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// The coordinator states its model's parameter layout and fingerprint; a client checks the model it built against
/// it, and the coordinator refuses task polls and uploads that do not state the fingerprint.
/// </summary>
public sealed class LayoutAgreementTests
{
    public static TheoryData<string, string?> ZooModels => new()
    {
        { "cnn", null }, { "cnn", "max:2" }, { "cifar-cnn", null }, { "cifar-cnn", "spp:1,2" }, { "resnet8", null }, { "resnet8", "avg:1" },
        { "dsconv", null }, { "dsconv", "l2:2" }, { "mlp", null },
    };

    [Theory]
    [MemberData(nameof(ZooModels))]
    public void A_client_builds_the_layout_the_coordinator_states_for_every_zoo_model(string name, string? headPool)
    {
        var config = ConfigFor(name, headPool);

        using var built = TrainingSlot.Build(config);

        var layout = LayoutAgreement.LayoutOf(built);
        Assert.Equal(config.LayoutFingerprint, layout.Fingerprint);
        Assert.Equal(config.Layout.Select(t => t.Name), layout.Select(t => t.Name));
        Assert.NotEqual(0UL, config.LayoutFingerprint);
    }

    [Fact]
    public void A_pooled_head_changes_the_fingerprint()
    {
        Assert.NotEqual(ConfigFor("cnn", null).LayoutFingerprint, ConfigFor("cnn", "max:2").LayoutFingerprint);
    }

    [Fact]
    public void A_client_whose_model_differs_refuses_to_train_naming_the_first_differing_tensor()
    {
        var config = ConfigFor("cnn", null);
        config.Layout[2].Shape[1] = 16;
        config.LayoutFingerprint = new Compression.ModelLayout(config.Layout.Select(t => new Compression.TensorInfo(t.Name, [.. t.Shape]))).Fingerprint;

        var refused = Assert.Throws<ModelLayoutMismatchException>(() => TrainingSlot.Build(config));

        Assert.Contains("tensor 2 is 'body.conv2.weight' [64, 32, 5, 5] here but 'body.conv2.weight' [64, 16, 5, 5] at the coordinator", refused.Message);
    }

    [Fact]
    public void A_client_refuses_a_config_whose_fingerprint_is_not_that_of_its_layout()
    {
        var config = ConfigFor("cnn", null);
        config.LayoutFingerprint = 0;

        var refused = Assert.Throws<ModelLayoutMismatchException>(() => TrainingSlot.Build(config));

        Assert.Contains("layout_fingerprint 0000000000000000 is not that of its own layout", refused.Message);
    }

    [Fact]
    public async Task Task_polls_and_uploads_without_the_federations_fingerprint_are_refused_and_do_not_move_the_model()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        using var client = new RawClient(coordinator.Address, "misbuilt");
        var joined = await client.JoinAsync(100);
        ulong fingerprint = client.LayoutFingerprint;

        client.LayoutFingerprint = 0;
        var missing = await PollRefused(client);
        client.LayoutFingerprint = fingerprint ^ 1;
        var wrong = await PollRefused(client);
        client.LayoutFingerprint = fingerprint;
        var (task, _) = await client.NextTrainTask();
        byte[] ones = RawClient.DenseCnnPayload(_ => 1f), zeros = RawClient.DenseCnnPayload(_ => 0f);
        var lying = client.HeaderFor(task, ones.Length);
        lying.LayoutFingerprint = fingerprint ^ 1;
        var upload = await client.PushRefusedAsync(lying, PayloadChunks.Split(ones));
        var (receipt, error) = await client.PushAsync(client.HeaderFor(task, zeros.Length), PayloadChunks.Split(zeros));

        Assert.Equal(RawClient.CnnLayout().Fingerprint, joined.Config.LayoutFingerprint);
        Assert.Equal(RawClient.CnnLayout().Count, joined.Config.Layout.Count);
        Assert.Equal(StatusCode.FailedPrecondition, missing.StatusCode);
        Assert.Contains("client 'misbuilt' states no layout_fingerprint", missing.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, wrong.StatusCode);
        Assert.Contains($"states layout_fingerprint {fingerprint ^ 1:x16}, but the federation's model cnn has {fingerprint:x16}", wrong.Status.Detail);
        Assert.Equal(StatusCode.FailedPrecondition, upload.StatusCode);
        Assert.Contains("layout_fingerprint", upload.Status.Detail);
        Assert.True(receipt?.Accepted, error?.Status.Detail);
        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        Assert.Equal(await store.LoadAsync(ModelSeries.Global("default"), task.ModelVersion), await store.LoadAsync(ModelSeries.Global("default"), task.ModelVersion + 1));
    }

    private static async Task<RpcException> PollRefused(RawClient client) => await Assert.ThrowsAsync<RpcException>(async () =>
    {
        using var call = client.Rpc.GetTask(client.TaskRequest());
        await call.ResponseStream.MoveNext();
    });

    private static FederationConfig ConfigFor(string name, string? headPool)
    {
        var settings = new FederationSettings
        {
            Model = name, HeadPool = headPool, Dataset = "none", InputShape = InputShape.Format(ModelCatalog.Find(name).ExampleInput),
        };
        using var model = new CoordinatorModel(Options.Create(settings), Options.Create(new CoordinatorOptions()));
        return FederationConfigs.For(settings, model, FederatedStrategies.Create(settings.Strategy));
    }
}
