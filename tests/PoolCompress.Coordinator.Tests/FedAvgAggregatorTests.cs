using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Tests;

public sealed class FedAvgAggregatorTests
{
    [Fact]
    public void Applies_the_sample_weighted_mean_of_updates()
    {
        var aggregator = new FedAvgAggregator(3);
        aggregator.Add([1f, 0f, -2f], sampleCount: 100);
        aggregator.Add([4f, 2f, 1f], sampleCount: 300);
        aggregator.Add([0f, -8f, 0.5f], sampleCount: 600);
        float[] model = [10f, 20f, 30f];

        aggregator.ToWeightedUpdates().AddMeanTo(model);

        // Hand-computed: (100*u1 + 300*u2 + 600*u3) / 1000 added to the model.
        Assert.Equal(10f + (100 * 1f + 300 * 4f + 600 * 0f) / 1000f, model[0], 6);
        Assert.Equal(20f + (100 * 0f + 300 * 2f + 600 * -8f) / 1000f, model[1], 6);
        Assert.Equal(30f + (100 * -2f + 300 * 1f + 600 * 0.5f) / 1000f, model[2], 6);
        Assert.Equal(1000, aggregator.TotalWeight);
        Assert.Equal(3, aggregator.Updates);
    }

    [Fact]
    public void Result_does_not_depend_on_arrival_order()
    {
        var random = new Random(3);
        var updates = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 1000).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        long[] weights = [17, 400, 3, 999, 250, 61, 1200, 8];
        float[] Aggregate(IEnumerable<int> order)
        {
            var aggregator = new FedAvgAggregator(1000);
            foreach (int i in order) aggregator.Add(updates[i], weights[i]);
            var model = new float[1000];
            aggregator.ToWeightedUpdates().AddMeanTo(model);
            return model;
        }

        Assert.Equal(Aggregate(Enumerable.Range(0, 8)), Aggregate(Enumerable.Range(0, 8).Reverse()));
    }

    [Fact]
    public void Partial_sums_reduce_to_what_one_aggregator_computes()
    {
        var random = new Random(11);
        var updates = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 999).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        long[] weights = [500, 33, 1_000_000, 7, 250, 4096];
        var whole = new FedAvgAggregator(999);
        for (int i = 0; i < updates.Length; i++) whole.Add(updates[i], weights[i]);
        var silos = new[] { new FedAvgAggregator(999), new FedAvgAggregator(999), new FedAvgAggregator(999) };
        for (int i = 0; i < updates.Length; i++) silos[i % 2].Add(updates[i], weights[i]);
        var reduced = new FedAvgAggregator(999);

        foreach (var (silo, index) in silos.Select((s, i) => (s, i)))
            reduced.Add(silo.ToPartialSum(Enumerable.Range(0, silo.Updates).Select(u => $"silo{index}-client{u}").ToArray(), 0));

        var expected = new float[999];
        var actual = new float[999];
        whole.ToWeightedUpdates().AddMeanTo(expected);
        reduced.ToWeightedUpdates().AddMeanTo(actual);
        Assert.Equal(expected, actual);
        Assert.Equal(whole.TotalWeight, reduced.TotalWeight);
        Assert.Equal(6, reduced.Updates);
    }

    [Fact]
    public void A_partial_sum_must_name_one_contributor_per_update()
    {
        var aggregator = new FedAvgAggregator(2);
        aggregator.Add([1f, 2f], 3);
        Assert.Throws<ArgumentException>(() => aggregator.ToPartialSum(["a", "b"], 0));
    }

    [Fact]
    public void Rejects_an_update_of_the_wrong_length()
    {
        var aggregator = new FedAvgAggregator(3);
        var error = Assert.Throws<ArgumentException>(() => aggregator.Add([1f, 2f], 5));
        Assert.Contains("2 values", error.Message);
    }

    [Fact]
    public void Refuses_to_apply_without_updates() =>
        Assert.Throws<InvalidOperationException>(() => new FedAvgAggregator(2).ToWeightedUpdates().AddMeanTo(new float[2]));

    [Fact]
    public void Refuses_a_weight_above_the_cap_instead_of_letting_it_dominate_or_wrap()
    {
        var aggregator = new FedAvgAggregator(2);
        aggregator.Add([1f, 1f], 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => aggregator.Add([-1f, -1f], long.MaxValue));
        Assert.Equal(10, aggregator.TotalWeight);
    }

    [Fact]
    public void Partial_sums_whose_total_would_wrap_are_refused()
    {
        var aggregator = new FedAvgAggregator(1);
        aggregator.Add(new PartialSum([1.0], long.MaxValue - 1, ["a"], 0));
        Assert.Throws<OverflowException>(() => aggregator.Add(new PartialSum([1.0], 2, ["b"], 0)));
        Assert.Equal(long.MaxValue - 1, aggregator.TotalWeight);
    }
}
