namespace PoolCompress.Compression.Tests;

public class SparsificationTests
{
    [Theory]
    [InlineData(1, 1000, 0.01)]
    [InlineData(100, 1000, 0.001)]
    [InlineData(7, 13, 0.5)]
    [InlineData(3, 3, 1.0)]
    [InlineData(1000, 1000, 0.0001)]
    public void Topk_keeps_exactly_the_k_largest_magnitudes(int rows, int columns, double fraction)
    {
        var layout = TestData.Single(rows, columns);
        var update = TestData.Gaussian(layout.TotalLength, seed: rows + columns);
        var decoded = TestData.RoundTrip(layout, $"topk:{fraction}", update);
        var k = (int)Math.Ceiling(fraction * update.Length - 1e-9);
        var expected = Enumerable.Range(0, update.Length).OrderByDescending(i => MathF.Abs(update[i])).Take(k).Order().ToArray();
        var kept = Enumerable.Range(0, update.Length).Where(i => decoded[i] != 0).ToArray();
        Assert.Equal(expected, kept);
        Assert.All(kept, i => Assert.Equal(update[i], decoded[i]));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    public void Global_topk_keeps_the_k_largest_magnitudes_of_the_whole_update(double fraction)
    {
        // Tensors of different scales: a per-tensor top-k would take from each; the global one takes from the largest.
        var layout = TestData.SmallModel();
        var update = TestData.Gaussian(layout.TotalLength, seed: 3);
        var scales = new[] { 4f, 1f, 0.25f, 1f, 2f };
        for (var t = 0; t < layout.Count; t++)
            foreach (ref var x in update.AsSpan(layout.OffsetOf(t), layout[t].Length)) x *= scales[t];
        var decoded = TestData.RoundTrip(layout, $"topk:{fraction}:global", update);

        var coded = Enumerable.Range(0, layout.Count).Where(t => layout[t].Shape.Length > 1)
            .SelectMany(t => Enumerable.Range(layout.OffsetOf(t), layout[t].Length)).ToArray();
        var k = (int)Math.Ceiling(fraction * coded.Length - 1e-9);
        var expected = coded.OrderByDescending(i => MathF.Abs(update[i])).Take(k).Order().ToArray();
        Assert.Equal(expected, coded.Where(i => decoded[i] != 0));
        Assert.All(expected, i => Assert.Equal(update[i], decoded[i]));
        var biases = Enumerable.Range(0, layout.Count).Where(t => layout[t].Shape.Length == 1)
            .SelectMany(t => Enumerable.Range(layout.OffsetOf(t), layout[t].Length));
        Assert.All(biases, i => Assert.Equal((float)(Half)update[i], decoded[i]));
    }

    [Fact]
    public void Topk_breaks_ties_towards_lower_indices()
    {
        var layout = TestData.Single(10, 10);
        var update = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1f : -1f).ToArray();
        update[77] = 2f;
        var decoded = TestData.RoundTrip(layout, "topk:0.05", update);
        Assert.Equal([0, 1, 2, 3, 77], Enumerable.Range(0, 100).Where(i => decoded[i] != 0));
    }

    [Fact]
    public void Threshold_keeps_exactly_the_elements_at_or_above_it()
    {
        var layout = TestData.Single(40, 50);
        var update = TestData.Gaussian(layout.TotalLength, seed: 8);
        update[3] = -1.5f;
        var decoded = TestData.RoundTrip(layout, "threshold:1.5", update);
        Assert.Equal(Enumerable.Range(0, update.Length).Where(i => MathF.Abs(update[i]) >= 1.5f), Enumerable.Range(0, update.Length).Where(i => decoded[i] != 0));
        Assert.Equal(-1.5f, decoded[3]);
    }

    [Fact]
    public void Randk_keeps_k_seeded_elements_without_sending_indices()
    {
        var layout = TestData.Single(100, 100);
        var update = TestData.Gaussian(layout.TotalLength, seed: 9);
        int[] Kept(ulong seed) => Enumerable.Range(0, update.Length).Where(i => TestData.RoundTrip(layout, "randk:0.01", update, seed)[i] != 0).ToArray();
        var decoded = TestData.RoundTrip(layout, "randk:0.01", update, seed: 1);
        var kept = Enumerable.Range(0, update.Length).Where(i => decoded[i] != 0).ToArray();
        Assert.Equal(100, kept.Length);
        Assert.All(kept, i => Assert.Equal(update[i], decoded[i]));
        Assert.NotEqual(kept, Kept(2));

        var payload = new UpdateEncoder(layout, CodecSpec.Parse("randk:0.01"), TestData.AllCompressed()).Encode(update, 1);
        Assert.True(payload.Length < 100 * 4 + 100, $"randk payload is {payload.Length} bytes; only values and the header should be sent");
    }

    [Fact]
    public void Randk_selection_is_uniform()
    {
        // Each element is kept with probability k/n; counts over many seeds follow a binomial distribution.
        var layout = TestData.Single(10, 10);
        var update = Enumerable.Repeat(1f, 100).ToArray();
        var counts = new int[100];
        const int trials = 2000;
        for (var seed = 0UL; seed < trials; seed++)
        {
            var decoded = TestData.RoundTrip(layout, "randk:0.1", update, seed);
            for (var i = 0; i < 100; i++) counts[i] += decoded[i] != 0 ? 1 : 0;
        }
        var sigma = Math.Sqrt(trials * 0.1 * 0.9);
        Assert.All(counts, c => Assert.InRange(c, trials * 0.1 - 5 * sigma, trials * 0.1 + 5 * sigma));
    }

    [Fact]
    public void Pooling_averages_2d_blocks_and_spreads_them_back()
    {
        var layout = TestData.Single(3, 5);
        var update = Enumerable.Range(0, 15).Select(i => (float)i).ToArray();
        var decoded = TestData.RoundTrip(layout, "pool:2x2", update);
        // Rows 0-1: blocks {0,1,5,6}, {2,3,7,8}, {4,9}; row 2: {10,11}, {12,13}, {14}.
        float[] expected = [3, 3, 5, 5, 6.5f, 3, 3, 5, 5, 6.5f, 10.5f, 10.5f, 12.5f, 12.5f, 14];
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void Pooling_along_rows_composes_with_quantization()
    {
        var layout = TestData.Single(4, 8);
        var update = Enumerable.Range(0, 32).Select(i => (float)(i % 8 < 4 ? 1 : -1) * (i / 8 + 1)).ToArray();
        var decoded = TestData.RoundTrip(layout, "pool:4>q:8", update);
        for (var i = 0; i < 32; i++) Assert.Equal(update[i], decoded[i], 0.02f);
    }
}
