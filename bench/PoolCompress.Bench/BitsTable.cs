using PoolCompress.Compression;

namespace PoolCompress.Bench;

/// <summary>Prints encoded bits per parameter next to the information bound: the bits an ideal coder needs for the kept
/// values at the codec's value width, plus log2 C(n,k) to say which k of n were kept (randk sends a seed instead).</summary>
internal static class BitsTable
{
    public static void Print()
    {
        Console.WriteLine($"| {"codec",-22} | {"elements",10} | {"kept",10} | {"bits/param",10} | {"bound",10} | {"ratio",6} |");
        Console.WriteLine($"|{new string('-', 24)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 8)}|");
        foreach (var elements in new[] { 1_000_000, 10_000_000 })
        {
            var (layout, update) = BenchmarkCodecs.Tensor(elements);
            foreach (var (spec, valueBits, sendsIndices) in BenchmarkCodecs.All)
            {
                var payload = new UpdateEncoder(layout, CodecSpec.Parse(spec), new UpdateEncoderOptions { ErrorFeedback = false }).Encode(update, 1);
                var decoded = new float[elements];
                UpdateDecoder.Decode(payload, layout, decoded);
                var kept = KeptCount(spec, layout, decoded);
                var bound = (double)kept * valueBits + (sendsIndices ? Log2Binomial(elements, kept) : 0);
                var bits = payload.Length * 8.0;
                Console.WriteLine($"| {spec,-22} | {elements,10} | {kept,10} | {bits / elements,10:F4} | {bound / elements,10:F4} | {bits / bound,6:F3} |");
            }
        }
    }

    /// <summary>Values the codec actually carries: non-zeros after a sparsifier, pooled windows after pooling, the two
    /// factors' R × (rows + columns) values after a low-rank stage, else all.</summary>
    private static int KeptCount(string spec, ModelLayout layout, float[] decoded)
    {
        if (spec.StartsWith("lowrank:", StringComparison.Ordinal))
        {
            var rank = int.Parse(spec.AsSpan(8, spec.IndexOf('>') - 8), System.Globalization.CultureInfo.InvariantCulture);
            int rows = layout[0].Shape[0], columns = layout[0].Length / rows;
            return rank * (rows + columns);
        }
        if (spec.StartsWith("pool:", StringComparison.Ordinal))
            return decoded.Length / int.Parse(spec.AsSpan(5, spec.IndexOf('>') - 5), System.Globalization.CultureInfo.InvariantCulture);
        // randk's seeded set is fixed in size, and a kept value may quantize to zero, so it is not counted from the output.
        if (spec.StartsWith("randk:", StringComparison.Ordinal))
            return (int)Math.Ceiling(double.Parse(spec.AsSpan(6, spec.IndexOf('>') - 6), System.Globalization.CultureInfo.InvariantCulture) * decoded.Length);
        var sparse = spec.StartsWith("topk", StringComparison.Ordinal) || spec.StartsWith("threshold", StringComparison.Ordinal);
        return sparse ? decoded.Count(v => v != 0) : decoded.Length;
    }

    private static double Log2Binomial(int n, int k)
    {
        double sum = 0;
        for (var i = 0; i < k; i++) sum += Math.Log2((double)(n - i) / (k - i));
        return sum;
    }
}
