namespace PoolCompress.Onnx.Layers;

/// <summary>
/// Adaptive pooling to a size x size grid, which ONNX lacks. Cell i of an axis of length n covers
/// [floor(i n / size), ceil((i + 1) n / size)), as in PyTorch. Where those windows are all one width at one stride it
/// is a plain pool; otherwise rows, then columns, are reduced window by window (max and mean are both separable).
/// </summary>
internal static class AdaptivePooling
{
    public enum Reduction { Max, Mean }

    public static string Write(OnnxValue input, int size, Reduction reduction, OnnxGraph graph)
    {
        if (input.Shape.Length != 4) throw graph.Unmapped($"adaptive pooling of {input.Shape.Length}-dimensional input (only N x C x H x W maps)");
        var rows = Windows(input.Shape[2], size);
        var columns = Windows(input.Shape[3], size);
        if (Uniform(rows) is { } rowPool && Uniform(columns) is { } columnPool)
            return graph.Node(reduction == Reduction.Max ? "MaxPool" : "AveragePool", [input.Name],
                OnnxAttributes.Ints("kernel_shape", [rowPool.Kernel, columnPool.Kernel]),
                OnnxAttributes.Ints("strides", [rowPool.Stride, columnPool.Stride]));
        return ReduceWindows(ReduceWindows(input.Name, rows, axis: 2, reduction, graph), columns, axis: 3, reduction, graph);
    }

    private static (long Start, long End)[] Windows(long length, int size) =>
        [.. Enumerable.Range(0, size).Select(i => (i * length / size, ((i + 1) * length + size - 1) / size))];

    private static (long Kernel, long Stride)? Uniform((long Start, long End)[] windows)
    {
        long kernel = windows[0].End - windows[0].Start;
        long stride = windows.Length > 1 ? windows[1].Start - windows[0].Start : 1;
        bool uniform = windows.Select((window, i) => window.Start == i * stride && window.End - window.Start == kernel).All(same => same);
        return uniform ? (kernel, stride) : null;
    }

    private static string ReduceWindows(string input, (long Start, long End)[] windows, long axis, Reduction reduction, OnnxGraph graph)
    {
        string op = reduction == Reduction.Max ? "ReduceMax" : "ReduceMean";
        string axes = graph.Int64s(axis);
        var cells = windows.Select(window =>
        {
            string slice = graph.Node("Slice", [input, graph.Int64s(window.Start), graph.Int64s(window.End), axes]);
            return graph.Node(op, [slice], OnnxAttributes.Ints("axes", [axis]), OnnxAttributes.Int("keepdims", 1));
        }).ToList();
        return cells.Count == 1 ? cells[0] : graph.Node("Concat", cells, OnnxAttributes.Int("axis", axis));
    }
}
