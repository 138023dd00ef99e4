namespace PoolCompress.Onnx.Layers;

/// <summary>The side of an adaptive pool's output grid, which the exports support square.</summary>
internal static class SquareGrid
{
    public static int Side(long[] outputSize, OnnxGraph graph) =>
        outputSize is [var height, var width] && height == width && height > 0
            ? checked((int)height)
            : throw graph.Unmapped($"adaptive pooling to {string.Join('x', outputSize)} (only a square grid maps)");
}
