using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The robust rules against updates made by hand, and their results when the updates were spread over silos.</summary>
public sealed class RobustStrategyTests
{
    [Fact]
    public void Median_takes_each_coordinate_s_middle_value_and_the_mean_of_the_middle_two_for_an_even_count()
    {
        float[] odd = Apply("median", [1f, 10f], [2f, -5f], [100f, 0f]);
        float[] even = Apply("median", [1f], [1000f], [3f], [2f]);

        Assert.Equal([2f, 0f], odd);
        Assert.Equal([2.5f], even);
    }

    [Fact]
    public void Trimmed_mean_drops_beta_n_values_at_each_end_so_outliers_do_not_count()
    {
        // n = 5, beta = 0.2: one value dropped at each end of every coordinate.
        float[] result = Apply("trimmed:beta=0.2", [1f, -1e6f], [2f, 4f], [3f, 5f], [4f, 6f], [1e6f, 7f]);

        Assert.Equal([3f, 5f], result);
    }

    [Fact]
    public void Trimmed_mean_with_beta_0_is_the_plain_mean()
    {
        Assert.Equal([2f], Apply("trimmed:beta=0", [1f], [2f], [3f]));
    }

    [Fact]
    public void Multi_krum_averages_the_honest_cluster_and_leaves_out_the_attackers()
    {
        float[][] honest = [[1f, 0f], [1.1f, 0f], [0.9f, 0f], [1f, 0.1f], [1f, -0.1f]];
        float[][] attackers = [[50f, 50f], [-50f, 50f]];

        // n = 7, f = 2: m = n - f = 5 updates are averaged, exactly the honest ones.
        float[] result = Apply("multikrum:f=2", [.. honest, .. attackers]);

        Assert.Equal(1f, result[0], 5);
        Assert.Equal(0f, result[1], 5);
    }

    [Fact]
    public void Multi_krum_scores_each_update_by_its_nearest_neighbours()
    {
        float[][] updates = [[0f], [1f], [3f], [10f]];

        // Squared distances to the 2 nearest others: 0 -> 1 + 9, 1 -> 1 + 4, 3 -> 4 + 9, 10 -> 49 + 81.
        Assert.Equal([10.0, 5.0, 13.0, 130.0], MultiKrumStrategy.Scores(updates, neighbours: 2));
        // m = 1 is Krum, the single best-scored update; f = 0 scores on n - 2 = 2 neighbours, as above.
        Assert.Equal([1f], Apply("multikrum:f=0,m=1", updates));
    }

    [Fact]
    public void Selection_finds_every_order_statistic_of_values_with_ties()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            var values = Enumerable.Range(0, random.Next(1, 30)).Select(_ => (float)random.Next(-5, 6)).ToArray();
            int k = random.Next(values.Length);
            var sorted = values.Order().ToArray();
            OrderStatistics.Select(values, k);
            Assert.Equal(sorted[k], values[k]);
            Assert.All(values[..k], v => Assert.True(v <= sorted[k]));
            Assert.All(values[(k + 1)..], v => Assert.True(v >= sorted[k]));
        }
    }

    [Theory]
    [InlineData("median")]
    [InlineData("trimmed:beta=0.2")]
    [InlineData("multikrum:f=2,m=3")]
    public void Updates_spread_over_two_silos_give_the_model_a_single_silo_gives(string spec)
    {
        var random = new Random(11);
        var updates = Enumerable.Range(0, 9)
            .Select(_ => Enumerable.Range(0, 37).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var single = new FedAvgAggregator(37, keepUpdates: true);
        for (int c = 0; c < updates.Length; c++) single.Add($"c{c}", updates[c], sampleCount: c + 1);
        // Each silo receives its own clients, in another order than the single silo did.
        var silos = new[] { new FedAvgAggregator(37, keepUpdates: true), new FedAvgAggregator(37, keepUpdates: true) };
        for (int c = updates.Length - 1; c >= 0; c--) silos[c % 2].Add($"c{c}", updates[c], sampleCount: c + 1);
        var reduced = new FedAvgAggregator(37, keepUpdates: true);
        foreach (var silo in silos)
        {
            string[] contributors = [.. Enumerable.Range(0, updates.Length).Where(c => c % 2 == Array.IndexOf(silos, silo)).Reverse().Select(c => $"c{c}")];
            reduced.Add(silo.ToPartialSum(contributors, 0));
        }

        float[] fromSingle = new float[37], fromSilos = new float[37];
        FederatedStrategies.Create(spec).AggregateFit(single.ToWeightedUpdates(), fromSingle, [], step: 1);
        FederatedStrategies.Create(spec).AggregateFit(reduced.ToWeightedUpdates(), fromSilos, [], step: 1);

        Assert.Equal(fromSingle, fromSilos);
        Assert.NotEqual(new float[37], fromSingle);
    }

    [Fact]
    public void A_robust_rule_over_a_round_whose_updates_were_only_summed_is_an_error()
    {
        var round = new FedAvgAggregator(1);
        round.Add([1f], sampleCount: 1);

        Assert.Throws<InvalidOperationException>(() => FederatedStrategies.Create("median").AggregateFit(round.ToWeightedUpdates(), new float[1], [], step: 1));
    }

    private static float[] Apply(string spec, params float[][] updates)
    {
        var round = new FedAvgAggregator(updates[0].Length, keepUpdates: true);
        for (int c = 0; c < updates.Length; c++) round.Add($"client-{c}", updates[c], sampleCount: 1);
        var model = new float[updates[0].Length];
        FederatedStrategies.Create(spec).AggregateFit(round.ToWeightedUpdates(), model, [], step: 1);
        return model;
    }
}
