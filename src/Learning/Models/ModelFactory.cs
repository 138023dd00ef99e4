namespace PoolCompress.Learning;

/// <summary>Builds the models a federation can train, with initial weights fixed by a seed.</summary>
public static class ModelFactory
{
    public static IReadOnlyList<string> Models { get; } = ["cnn"];

    /// <summary>
    /// <paramref name="headPool"/>: null (or blank) for the plain head, else a spec such as <c>avg:2</c> or
    /// <c>spp:1,2,4</c>; see <see cref="MnistCnn"/> for the parameter counts each gives.
    /// </summary>
    public static FederatedModel Create(string model, string? headPool, long seed) => Create(model, headPool, seed, DataSpec.Digits);

    /// <summary>The model for samples and classes as <paramref name="data"/> describes them.</summary>
    /// <exception cref="ArgumentException">The model cannot take such samples or classes.</exception>
    public static FederatedModel Create(string model, string? headPool, long seed, DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.InputShape.SequenceEqual(DataSpec.Digits.InputShape) || data.Classes.Count != DataSpec.Digits.Classes.Count)
            throw new ArgumentException(
                $"model '{model}' takes {InputShape.Format(DataSpec.Digits.InputShape)} samples of {DataSpec.Digits.Classes.Count} classes, not {data}", nameof(data));
        if (!Models.Contains(model))
            throw new ArgumentException($"model '{model}' is unknown; available: {string.Join(", ", Models)}", nameof(model));
        var pool = string.IsNullOrWhiteSpace(headPool) ? null : HeadPoolSpec.Parse(headPool);
        var network = new MnistCnn(pool);
        SeededInitialization.Apply(network, seed);
        return new FederatedModel(model, pool?.ToString(), network);
    }
}
