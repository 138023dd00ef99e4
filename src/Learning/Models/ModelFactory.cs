namespace PoolCompress.Learning;

/// <summary>Builds the models a federation can train, with initial weights fixed by a seed.</summary>
public static class ModelFactory
{
    public static IReadOnlyList<string> Models { get; } = ["cnn"];

    /// <summary>
    /// <paramref name="headPool"/>: null (or blank) for the plain head, else a spec such as <c>avg:2</c> or
    /// <c>spp:1,2,4</c>; see <see cref="MnistCnn"/> for the parameter counts each gives.
    /// </summary>
    public static FederatedModel Create(string model, string? headPool, long seed)
    {
        if (!Models.Contains(model))
            throw new ArgumentException($"model '{model}' is unknown; available: {string.Join(", ", Models)}", nameof(model));
        var pool = string.IsNullOrWhiteSpace(headPool) ? null : HeadPoolSpec.Parse(headPool);
        var network = new MnistCnn(pool);
        SeededInitialization.Apply(network, seed);
        return new FederatedModel(model, pool?.ToString(), network);
    }
}
