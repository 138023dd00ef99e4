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

    private static async Task<(float[] Before, float[] After)> GlobalModels(TestCoordinator coordinator, long baseVersion)
    {
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var before = await store.LoadAsync(ModelSeries.Global("default"), baseVersion);
        var after = await store.LoadAsync(ModelSeries.Global("default"), baseVersion + 1);
        return (before!, after!);
    }
}
