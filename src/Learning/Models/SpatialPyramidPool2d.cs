using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>Spatial pyramid pooling (He et al. 2014): adaptive max pools at each level, flattened and concatenated.</summary>
internal sealed class SpatialPyramidPool2d(int[] levels) : Module<Tensor, Tensor>(nameof(SpatialPyramidPool2d))
{
    /// <summary>The grid side of each level, in the order their cells are concatenated.</summary>
    public IReadOnlyList<int> Levels => levels;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = levels.Select(level => functional.adaptive_max_pool2d(input, [level, level]).flatten(1)).ToArray();
        return cat(pooled, dim: 1).MoveToOuterDisposeScope();
    }
}
