using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// <c>--clip-norm adaptive</c>: round t clips to the median norm of round t-1's updates. Three raw clients send updates
/// whose norms are known exactly (one coordinate set to the norm, the rest zero), so the bound, the clipped count
/// and the model's step are all known in advance; with a restart between the rounds, the bound must come back from
/// grain state (Redis) rather than be recomputed from nothing.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class AdaptiveClippingTests : IDisposable
{
    private static readonly float[] FirstRoundNorms = [1, 2, 6];
    private static readonly float[] SecondRoundNorms = [1, 3, 5];
    private readonly string _models = Directory.CreateTempSubdirectory("poolcompress-adaptive-clip-").FullName;

    public void Dispose() => Directory.Delete(_models, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Round_two_clips_to_the_median_norm_of_round_one(bool restartBetweenRounds)
    {
        using var redis = await RedisServer.StartAsync();
        var config = new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:MinClients"] = "3",
            ["Federation:Rounds"] = "2",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
            ["Federation:AdaptiveClipNorm"] = "adaptive:factor=1",
            ["Coordinator:Storage"] = "redis",
            ["Coordinator:Redis"] = redis.ConnectionString,
            ["Coordinator:ModelStoreDir"] = _models,
        };
        var coordinator = await TestCoordinator.StartAsync(config);
        try
        {
            await PushRound(coordinator, FirstRoundNorms);
            await coordinator.WaitUntilAsync(status => status.Round >= 2, "round 2 to start");
            if (restartBetweenRounds)
            {
                await coordinator.DisposeAsync();
                coordinator = await TestCoordinator.StartAsync(config);
            }
            await PushRound(coordinator, SecondRoundNorms);
            var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

            Assert.Null(status.History[0].ClipBound);
            Assert.Equal(0, status.History[0].Clipped);
            Assert.Equal(2.0, status.History[1].ClipBound);
            Assert.Equal(2, status.History[1].Clipped);
            // Equal claims: the step is the mean of 1, min(3, 2) and min(5, 2).
            var store = coordinator.App.Services.GetRequiredService<IModelStore>();
            var before = await store.LoadAsync(ModelSeries.Global("default"), 2);
            var after = await store.LoadAsync(ModelSeries.Global("default"), 3);
            Assert.Equal(5.0 / 3, after![0] - before![0], 4);
        }
        finally
        {
            await coordinator.DisposeAsync();
        }
    }

    [Fact]
    public void The_bound_is_the_factor_times_the_median_norm_and_stays_when_a_round_gives_none()
    {
        var rule = AdaptiveClipping.Parse("adaptive:factor=1.5,initial=4");

        Assert.Equal(new AdaptiveClipping(1.5, 4), rule);
        Assert.Equal(1.5 * 3, rule.NextBound([100, 3, 1], current: 4));
        Assert.Equal(1.5 * 2.5, rule.NextBound([1, 2, 3, 1000], current: 4));
        Assert.Equal(4, rule.NextBound([], current: 4));
        Assert.Equal(4, rule.NextBound([0, 0, 0], current: 4));
        Assert.Equal(new AdaptiveClipping(1, null), AdaptiveClipping.Parse("adaptive"));
    }

    [Theory]
    [InlineData("adaptve", "clip-norm must be a positive number or adaptive[:factor=F,initial=C], got 'adaptve'")]
    [InlineData("adaptive:factor=0", "clip-norm 'adaptive:factor=0': factor must be a positive number, got '0'")]
    [InlineData("adaptive:initial=-1", "clip-norm 'adaptive:initial=-1': initial must be a positive number, got '-1'")]
    [InlineData("adaptive:median=2", "clip-norm 'adaptive:median=2': unknown parameter 'median'")]
    public void A_bad_spec_is_refused_with_what_is_wrong(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => AdaptiveClipping.Parse(spec));
        Assert.StartsWith(expected, e.Message);
    }

    [Theory]
    [InlineData("adaptive --dp-noise-multiplier 1", "dp-noise-multiplier needs a fixed clip-norm, not adaptive clipping")]
    [InlineData("adaptive:factor=-2", "clip-norm 'adaptive:factor=-2': factor must be a positive number, got '-2'")]
    [InlineData("0", "clip-norm must be a positive number, got 0")]
    public async Task A_bad_clip_norm_is_refused_on_one_line_with_exit_code_2(string clipNorm, string expected)
    {
        var result = await CliProcess.RunAsync(TestCoordinator.Patience,
            ["simulate", "--dataset", "synthetic", "--clients", "2", "--rounds", "1", "--clip-norm", .. clipNorm.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
    }

    private static async Task PushRound(TestCoordinator coordinator, float[] norms)
    {
        var clients = norms.Select((_, i) => new RawClient(coordinator.Address, $"client-{i}")).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => c.JoinAsync(100)));
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                var (task, _) = await client.NextTrainTask();
                byte[] payload = RawClient.DenseCnnPayload(k => k == 0 ? norms[i] : 0f);
                var (receipt, error) = await client.PushAsync(client.HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
                Assert.True(receipt?.Accepted, error?.Status.Detail);
            }));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
