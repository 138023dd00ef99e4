namespace PoolCompress.Compression.Tests;

/// <summary><c>lowrank:R</c>: PowerSGD's rank-R factors of each matrix-shaped tensor, warm-started per tensor and client.</summary>
public class LowRankTests
{
    [Fact]
    public void A_matrix_of_rank_at_most_R_comes_back_exactly_even_from_a_conv_kernel()
    {
        // A conv kernel (out 8, in 4, 3 x 3) whose out x (in * 3 * 3) matrix has rank 2.
        var layout = TestData.Single(8, 4, 3, 3);
        var update = RankedMatrix(rows: 8, columns: 36, rank: 2, seed: 3);

        var decoded = TestData.RoundTrip(layout, "lowrank:2", update);

        Assert.True(RelativeError(update, decoded) < 1e-4, $"relative error {RelativeError(update, decoded)}");
    }

    [Theory]
    [InlineData("lowrank:1")]
    [InlineData("lowrank:4")]
    [InlineData("lowrank:4>q:8")]
    public void The_approximation_is_a_projection_so_it_never_adds_error_beyond_the_update_itself(string spec)
    {
        var layout = TestData.Single(40, 60);
        var update = TestData.Gaussian(layout.TotalLength, seed: 5);

        var decoded = TestData.RoundTrip(layout, spec, update);

        // P Pᵀ M with P orthonormal: |M - M̂|² = |M|² - |M̂|² ≤ |M|² (q:8 factors add a little rounding on top).
        double error = RelativeError(update, decoded);
        Assert.InRange(error, 0.5, 1.0 + 1e-3);
    }

    [Fact]
    public void Higher_rank_approximates_better_and_factor_quantization_costs_little()
    {
        var layout = TestData.Single(40, 60);
        var update = RankedMatrix(rows: 40, columns: 60, rank: 4, seed: 8);
        for (var i = 0; i < update.Length; i++) update[i] += 0.01f * TestData.Gaussian(1, seed: i)[0];

        double rank1 = RelativeError(update, TestData.RoundTrip(layout, "lowrank:1", update));
        double rank4 = RelativeError(update, TestData.RoundTrip(layout, "lowrank:4", update));
        double rank4Quantized = RelativeError(update, TestData.RoundTrip(layout, "lowrank:4>q:8", update));

        Assert.True(rank4 < 0.05 && rank4 < rank1, $"rank 1: {rank1}, rank 4: {rank4}");
        Assert.True(rank4Quantized < rank4 + 0.02, $"q:8 factors: {rank4Quantized}, float32 factors: {rank4}");
    }

    [Fact]
    public void Power_iteration_continues_from_the_clients_previous_factor()
    {
        // Without error feedback the same update is encoded again; a warm-started Q moves towards the top
        // singular vectors, so the second approximation is better than the first, and a fresh encoder starts over.
        var layout = TestData.Single(30, 50);
        var update = TestData.Gaussian(layout.TotalLength, seed: 12);
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse("lowrank:2"), TestData.AllCompressed(errorFeedback: false));

        double first = RelativeError(update, Decode(layout, encoder.Encode(update, 1)));
        double second = RelativeError(update, Decode(layout, encoder.Encode(update, 2)));
        double fresh = RelativeError(update, Decode(layout,
            new UpdateEncoder(layout, CodecSpec.Parse("lowrank:2"), TestData.AllCompressed(errorFeedback: false)).Encode(update, 1)));

        Assert.True(second < first, $"first {first}, second {second}");
        Assert.Equal(first, fresh, 6);
    }

    [Fact]
    public void Factors_cost_R_times_rows_plus_columns_values()
    {
        var layout = TestData.Single(64, 72);
        var update = TestData.Gaussian(layout.TotalLength, seed: 2);

        int dense = new UpdateEncoder(layout, CodecSpec.Parse("none")).Encode(update).Length;
        int lowRank = new UpdateEncoder(layout, CodecSpec.Parse("lowrank:2"), TestData.AllCompressed()).Encode(update).Length;

        // Same header but for the spec text ("none" vs "lowrank:2"); the body is the rank byte and 2 x (64 + 72) floats.
        Assert.Equal(dense - 64 * 72 * 4 + ("lowrank:2".Length - "none".Length) + 1 + 2 * (64 + 72) * 4, lowRank);
    }

    private static float[] Decode(ModelLayout layout, byte[] payload)
    {
        var decoded = new float[layout.TotalLength];
        UpdateDecoder.Decode(payload, layout, decoded);
        return decoded;
    }

    /// <summary>A sum of <paramref name="rank"/> outer products of Gaussian vectors.</summary>
    private static float[] RankedMatrix(int rows, int columns, int rank, int seed)
    {
        var matrix = new float[rows * columns];
        for (var k = 0; k < rank; k++)
        {
            var left = TestData.Gaussian(rows, seed + 2 * k);
            var right = TestData.Gaussian(columns, seed + 2 * k + 1);
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < columns; j++)
                    matrix[i * columns + j] += left[i] * right[j];
        }
        return matrix;
    }

    private static double RelativeError(float[] expected, float[] actual)
    {
        double error = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            error += (double)(expected[i] - actual[i]) * (expected[i] - actual[i]);
            norm += (double)expected[i] * expected[i];
        }
        return Math.Sqrt(error / norm);
    }
}
