using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Tests;

/// <summary>Each strategy's step against values computed by hand (or with a pocket calculator) from its formula.</summary>
public sealed class StrategyTests
{
    [Fact]
    public void FedAvg_adds_the_mean_update_exactly_as_the_aggregator_does()
    {
        var round = Round([0.1f, -0.3f, 7e-8f]);
        float[] byStrategy = [1f, 2f, 3f], direct = [1f, 2f, 3f];

        FederatedStrategies.Create("fedavg").AggregateFit(round, byStrategy, [], step: 1);
        round.AddMeanTo(direct);

        Assert.Equal(direct, byStrategy);
    }

    [Fact]
    public void FedAvgM_accumulates_server_momentum()
    {
        var strategy = FederatedStrategies.Create("fedavgm:lr=0.5,momentum=0.9");
        float[] model = [1f, 2f];
        float[][] state = [new float[2]];

        strategy.AggregateFit(Round([0.5f, -1f]), model, state, step: 1);
        // v = [0.5, -1]; model += 0.5 v.
        Assert.Equal([0.5f, -1f], state[0]);
        Assert.Equal([1.25f, 1.5f], model);

        strategy.AggregateFit(Round([0.5f, 0f]), model, state, step: 2);
        // v = 0.9 [0.5, -1] + [0.5, 0] = [0.95, -0.9]; model += 0.5 v.
        AssertClose([0.95, -0.9], state[0]);
        AssertClose([1.725, 1.05], model);
    }

    [Fact]
    public void FedAdam_tracks_both_moments_and_corrects_their_bias_over_two_steps()
    {
        var strategy = FederatedStrategies.Create("fedadam:lr=0.1,b1=0.9,b2=0.99,tau=1e-3");
        float[] model = [1f, -1f];
        float[][] state = [new float[2], new float[2]];

        strategy.AggregateFit(Round([0.2f, -0.1f]), model, state, step: 1);
        // m = 0.1 d = [0.02, -0.01]; v = 0.01 d^2 = [4e-4, 1e-4]; step size 0.1 sqrt(0.01) / 0.1 = 0.1;
        // model += 0.1 m / (sqrt(v) + 1e-3) = [0.1 * 0.02 / 0.021, 0.1 * -0.01 / 0.011].
        AssertClose([0.02, -0.01], state[0]);
        AssertClose([4e-4, 1e-4], state[1]);
        AssertClose([1.0952381, -1.0909091], model);

        strategy.AggregateFit(Round([0.1f, 0.3f]), model, state, step: 2);
        // m = 0.9 m + 0.1 d = [0.028, 0.021]; v = 0.99 v + 0.01 d^2 = [4.96e-4, 9.99e-4];
        // step size 0.1 sqrt(1 - 0.99^2) / (1 - 0.9^2) = 0.0742460.
        AssertClose([0.028, 0.021], state[0]);
        AssertClose([4.96e-4, 9.99e-4], state[1]);
        AssertClose([1.1845717, -1.0430921], model);
    }

    [Fact]
    public void FedYogi_moves_the_second_moment_by_the_sign_of_its_gap_to_the_squared_update()
    {
        var strategy = FederatedStrategies.Create("fedyogi:b2=0.9");
        float[] model = new float[2];
        // v above d^2 = 0.25 shrinks by (1 - b2) d^2, v below it grows by the same amount (Adam would give 0.925 and 0.025).
        float[][] state = [new float[2], [1f, 0f]];

        strategy.AggregateFit(Round([0.5f, 0.5f]), model, state, step: 1);

        AssertClose([0.975, 0.025], state[1]);
    }

    [Fact]
    public void FedAdagrad_sums_squared_updates()
    {
        var strategy = FederatedStrategies.Create("fedadagrad:lr=0.1,tau=0.01");
        float[] model = [0f];
        float[][] state = [new float[1], new float[1]];

        strategy.AggregateFit(Round([0.2f]), model, state, step: 1);
        strategy.AggregateFit(Round([0.2f]), model, state, step: 2);

        // b1 = 0: m = d. v = 0.04, then 0.08; model = 0.1 * 0.2 / 0.21 + 0.1 * 0.2 / (sqrt(0.08) + 0.01).
        AssertClose([0.08], state[1]);
        AssertClose([0.0952381 + 0.0682960], model);
    }

    [Fact]
    public void FedProx_tells_every_selected_client_its_mu_and_other_strategies_tell_nothing()
    {
        var round = new FitRound(["a", "b", "c", "d"], Count: 2, Seed: 7, Round: 1, Attempt: 0);

        var fedProx = FederatedStrategies.Create("fedprox:mu=0.05").ConfigureFit(round);
        var fedAdam = FederatedStrategies.Create("fedadam").ConfigureFit(round);

        Assert.Equal(2, fedProx.Count);
        Assert.All(fedProx, fit => Assert.Equal(0.05f, (float)FitConfig.Real(fit.Config, FitConfig.ProximalMu, 0)));
        Assert.Equal(fedProx.Select(f => f.ClientId), fedAdam.Select(f => f.ClientId));
        Assert.All(fedAdam, fit => Assert.Empty(fit.Config));
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("fedsgd", "strategy 'fedsgd' is unknown; allowed: fedavg, fedprox, fedavgm, fedadam, fedyogi, fedadagrad, median, trimmed, multikrum")]
    [InlineData("fedadam:lr", "key=value pairs")]
    [InlineData("fedadam:lr=0.1,lr=0.2", "'lr' is given twice")]
    [InlineData("fedadam:lr=-1", "lr must be a positive number, got '-1'")]
    [InlineData("fedadam:tau=NaN", "tau must be a positive number")]
    [InlineData("fedyogi:b2=1", "b2 must be a number in [0, 1), got '1'")]
    [InlineData("fedadagrad:b2=0.9", "unknown parameter 'b2'")]
    [InlineData("fedavg:lr=1", "fedavg takes no parameters")]
    [InlineData("trimmed:beta=0.5", "beta must be a number in [0, 0.5), got '0.5'")]
    [InlineData("multikrum:f=-1", "f must be a whole number of at least 0, got '-1'")]
    [InlineData("multikrum:m=1.5", "m must be a whole number of at least 1, got '1.5'")]
    [InlineData("median:beta=0.1", "median takes no parameters")]
    public void Bad_specs_are_refused_with_what_is_wrong(string spec, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => FederatedStrategies.Create(spec));
        Assert.Contains(expected, error.Message);
    }

    private static WeightedUpdates Round(float[] meanUpdate)
    {
        // Two clients whose weighted mean is the given update.
        var round = new FedAvgAggregator(meanUpdate.Length);
        round.Add(meanUpdate.Select(u => u * 2).ToArray(), sampleCount: 1);
        round.Add(new float[meanUpdate.Length], sampleCount: 1);
        return round.ToWeightedUpdates();
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 + 1e-5 * Math.Abs(expected[i]), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
