namespace PoolCompress.SecureAggregation;

/// <summary>The coordinator's reading of an unmasked sum: the mean update of the survivors, dense, zero off the support.</summary>
public static class SecureAggregate
{
    public static float[] MeanUpdate(ReadOnlySpan<uint> sum, IReadOnlyList<int> support, SecureQuantizer quantizer, MaskSpace space, int survivors, int dimension)
    {
        if (survivors < 1)
            throw new ArgumentOutOfRangeException(nameof(survivors), survivors, "a mean needs at least one survivor");
        var values = new float[sum.Length];
        quantizer.Dequantize(sum, values, space);
        var mean = new float[dimension];
        for (var j = 0; j < support.Count; j++)
            mean[support[j]] = values[j] / survivors;
        return mean;
    }
}
