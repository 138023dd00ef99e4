using CsCheck;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Tests;

public class IndexCodingTests
{
    [Theory]
    [InlineData(1_000_000, 10_000)]
    [InlineData(1_000_000, 2_500)]
    [InlineData(1_000_000, 100_000)]
    public void Golomb_rice_index_coding_is_within_5_percent_of_log2_n_choose_k(int n, int k)
    {
        var indices = RandomSubset(n, k, seed: 13);
        using var writer = new PayloadWriter(1024);
        GolombRiceIndexCoder.Write(indices, writer);
        var bits = writer.Length * 8.0;
        var bound = Log2Binomial(n, k);
        Assert.True(bits <= 1.05 * bound, $"{bits} bits for {k} of {n}; log2 C(n,k) = {bound:F0}, ratio {bits / bound:F4}");

        var decoded = new int[k];
        var reader = new PayloadReader(writer.Written, "test");
        Assert.Equal(k, GolombRiceIndexCoder.Read(ref reader, n, decoded));
        Assert.Equal(indices, decoded);
    }

    [Fact]
    public void Any_sorted_index_set_round_trips()
    {
        Gen.Int[1, 5000].SelectMany(n => Gen.Int[0, n].SelectMany(k => Gen.Int.Select(seed => (n, RandomSubset(n, k, seed)))))
            .Sample(t =>
            {
                using var writer = new PayloadWriter(16);
                GolombRiceIndexCoder.Write(t.Item2, writer);
                var decoded = new int[t.Item2.Length];
                var reader = new PayloadReader(writer.Written, "test");
                return GolombRiceIndexCoder.Read(ref reader, t.n, decoded) == decoded.Length && decoded.AsSpan().SequenceEqual(t.Item2) && reader.Remaining == 0;
            }, iter: 300);
    }

    internal static double Log2Binomial(int n, int k)
    {
        double sum = 0;
        for (var i = 0; i < k; i++) sum += Math.Log2((double)(n - i) / (k - i));
        return sum;
    }

    private static int[] RandomSubset(int n, int k, int seed)
    {
        var random = new Random(seed);
        var chosen = new HashSet<int>();
        while (chosen.Count < k) chosen.Add(random.Next(n));
        return chosen.Order().ToArray();
    }
}
