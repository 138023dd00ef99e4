using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// A network a federation can train. A new model is one class implementing this and one line in
/// <see cref="ModelCatalog"/>. The network registers its classifier as the submodule named <c>head</c> (the rest is
/// the body); <see cref="PooledHead"/> builds a head that takes the federation's pooled-head spec.
/// </summary>
public interface IModelDefinition
{
    /// <summary>The name configurations use, e.g. <c>resnet8</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>poolcompress models</c>: what it is and what input it takes.</summary>
    string Description { get; }

    /// <summary>An input shape this model takes, for listings and benchmarks.</summary>
    IReadOnlyList<int> ExampleInput { get; }

    /// <summary>
    /// The network for samples of <paramref name="inputShape"/> (C x H x W, or F) and <paramref name="classCount"/>
    /// classes; <paramref name="headPool"/> is null or a head-pool spec such as <c>avg:2</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The model cannot take this input or head pool.</exception>
    nn.Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool);
}
