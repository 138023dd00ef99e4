using PoolCompress.Compression;

namespace PoolCompress.Bench;

/// <summary>The codec chains measured, with what an ideal coder would need for the values it keeps.</summary>
internal static class BenchmarkCodecs
{
    /// <summary>(spec, bits per kept value in the information bound, whether kept indices must be sent).</summary>
    public static readonly (string Spec, int ValueBits, bool SendsIndices)[] All =
    [
        ("none", 32, false),
        ("fp16", 16, false),
        ("bf16", 16, false),
        ("q:8", 8, false),
        ("q:4:block=256", 4, false),
        ("q:2:stochastic", 2, false),
        ("ternary", 1, false),
        ("pool:4>q:8", 8, false),
        ("topk:0.01", 32, true),
        ("topk:0.01>q:4", 4, true),
        ("topk:0.0025>ternary", 1, true),
        ("topk:0.008:global>ternary", 1, true),
        ("randk:0.01>q:8", 8, false),
        ("threshold:2.5>q:8", 8, true),
        ("lowrank:4>q:8", 8, false),
    ];

    public static IEnumerable<string> Specs => All.Select(c => c.Spec);

    /// <summary>A weight-matrix-shaped tensor of normally distributed values, like a gradient.</summary>
    public static (ModelLayout Layout, float[] Update) Tensor(int elements, int seed = 1)
    {
        var layout = new ModelLayout([new TensorInfo("weight", [1000, elements / 1000])]);
        return (layout, Gaussian(elements, seed));
    }

    /// <summary>Normally distributed values, like a gradient.</summary>
    public static float[] Gaussian(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }
}
