namespace PoolCompress.Onnx;

/// <summary>Where an export of PATH puts its ONNX models: PATH.onnx (float32) and PATH.int8.onnx.</summary>
public static class OnnxFiles
{
    /// <summary>The file's suffix before <c>.onnx</c> and the prefix of its figures in PATH.json: <c>onnx</c>, <c>onnx_int8</c>.</summary>
    public static string Suffix(WeightPrecision precision) => precision == WeightPrecision.Float32 ? "onnx" : "onnx_int8";

    public static string PathOf(string path, WeightPrecision precision) =>
        precision == WeightPrecision.Float32 ? path + ".onnx" : path + ".int8.onnx";
}
