using PoolCompress.Learning;

namespace PoolCompress.Onnx;

/// <summary>One export of a trained model to deploy: how it is pruned and at which precision ONNX Runtime gets its weights.</summary>
public sealed record DeploymentExport(string Name, PruningSettings Pruning, WeightPrecision Precision)
{
    public const string Int8 = "int8";
    public const string Float32 = "float32";

    /// <summary><c>int8</c> or <c>float32</c>, in any case.</summary>
    /// <param name="what">Where the text came from, for the error: <c>--quantize</c>, a study key.</param>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static WeightPrecision ParsePrecision(string text, string what) =>
        string.Equals(text, Int8, StringComparison.OrdinalIgnoreCase) ? WeightPrecision.Int8
        : string.Equals(text, Float32, StringComparison.OrdinalIgnoreCase) ? WeightPrecision.Float32
        : throw new ArgumentException($"{what} '{text}' is unknown; allowed: {Int8}, {Float32}");
}
