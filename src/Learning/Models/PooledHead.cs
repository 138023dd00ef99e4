using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// The classifier head of an image model: [optional pooling of the body's feature maps] - flatten - [standardize,
/// when pooled] - FC hidden - ReLU - FC classes. The same pooled-head specs (<c>avg:2</c>, <c>spp:1,2,4</c>, ...) apply to every image model.
/// </summary>
public static class PooledHead
{
    /// <param name="headPool">null for no pooling, else a spec such as <c>avg:2</c> or <c>spp:1,2,4</c>.</param>
    /// <param name="channels">Feature maps the body puts out.</param>
    /// <param name="cells">Cells per feature map without pooling (its height times width).</param>
    public static Module<Tensor, Tensor> Create(string? headPool, int channels, int cells, int hidden, int classes)
    {
        var pool = string.IsNullOrWhiteSpace(headPool) ? null : HeadPoolSpec.Parse(headPool);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        if (pool is not null) layers.Add(("pool", pool.CreateLayer()));
        layers.Add(("flatten", Flatten()));
        if (pool is not null) layers.Add(("standardize", new StandardizedFeatures()));
        layers.Add(("fc1", Linear(channels * (pool?.CellsPerChannel ?? cells), hidden)));
        layers.Add(("relu", ReLU()));
        layers.Add(("fc2", Linear(hidden, classes)));
        return Sequential(layers);
    }

    /// <summary>C, H and W of an image input shape, or an error naming the model.</summary>
    public static (int Channels, int Height, int Width) RequireImage(string model, IReadOnlyList<int> inputShape, int minSide)
    {
        if (inputShape.Count != 3 || inputShape[1] < minSide || inputShape[2] < minSide)
            throw new ArgumentException($"model '{model}' takes images C x H x W with H and W at least {minSide}, not {InputShape.Format(inputShape)}");
        return (inputShape[0], inputShape[1], inputShape[2]);
    }
}
