using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// A network a federation can train. A zoo model is one class implementing this and one line in
/// <see cref="ModelCatalog"/>; a team's own model is a public class with a public parameterless constructor in its
/// own assembly, loaded with <c>--model-assembly PATH</c> (<see cref="ModelAssemblies"/>, docs/local-data-and-models.md).
/// The contract:
/// <list type="bullet">
/// <item><see cref="Build"/> is deterministic: the same input shape, class count and head pool give the same
/// parameters (names, shapes, order) in every process, since the coordinator and each client build the model
/// themselves and the coordinator refuses clients whose layout differs. Initial values do not matter: they are
/// drawn from the federation's seed afterwards.</item>
/// <item>The network registers its classifier as the submodule named <c>head</c> (the rest is the body), e.g. with
/// <see cref="BodyAndHead"/>; <see cref="PooledHead"/> builds a head that takes the federation's pooled-head spec.</item>
/// <item>All state is float32 parameters: no buffers (GroupNorm, not BatchNorm), since only parameters are averaged.</item>
/// </list>
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
