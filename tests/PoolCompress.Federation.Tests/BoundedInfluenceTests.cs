using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;

namespace PoolCompress.Federation.Tests;

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

        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var before = await store.LoadAsync(ModelSeries.Global("default"), task.ModelVersion);
        var after = await store.LoadAsync(ModelSeries.Global("default"), task.ModelVersion + 1);
        double movement = after!.Zip(before!, (a, b) => (double)a - b).Average();
        Assert.InRange(movement, least, most);
    }
}
