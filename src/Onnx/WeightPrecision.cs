namespace PoolCompress.Onnx;

/// <summary>How an export stores the weights of its convolutions and fully connected layers.</summary>
public enum WeightPrecision
{
    Float32,

    /// <summary>Per-output-channel symmetric int8 (zero point 0, scale max|w| / 127), dequantized in the graph.</summary>
    Int8,
}
