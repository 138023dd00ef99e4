namespace PoolCompress.Learning;

/// <summary>Builds the models a federation can train, with initial weights fixed by a seed.</summary>
public static class ModelFactory
{
    public static IReadOnlyList<string> Models => [.. ModelCatalog.All.Select(m => m.Name)];

    /// <summary>The model for the digits (1 x 28 x 28, ten classes).</summary>
    public static FederatedModel Create(string model, string? headPool, long seed) => Create(model, headPool, seed, DataSpec.Digits);

    /// <summary>
    /// The model for samples and classes as <paramref name="data"/> describes them. <paramref name="headPool"/>: null
    /// (or blank) for the plain head, else a spec such as <c>avg:2</c> or <c>spp:1,2,4</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The model is unknown, or cannot take such samples, classes or head pool.</exception>
    public static FederatedModel Create(string model, string? headPool, long seed, DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var definition = ModelCatalog.Find(model);
        string? pool = string.IsNullOrWhiteSpace(headPool) ? null : HeadPoolSpec.Parse(headPool).ToString();
        var network = definition.Build(data.InputShape, data.Classes.Count, pool);
        SeededInitialization.Apply(network, seed);
        return new FederatedModel(model, pool, network);
    }

    /// <summary>
    /// A fresh model of <paramref name="model"/>'s architecture for <paramref name="data"/>, holding its weights and
    /// buffers: a copy to change (prune, say) while the original stays as it is.
    /// </summary>
    public static FederatedModel Copy(FederatedModel model, DataSpec data)
    {
        ArgumentNullException.ThrowIfNull(model);
        var copy = Create(model.Name, model.HeadPool, seed: 0, data);
        copy.Network.load_state_dict(model.Network.state_dict());
        return copy;
    }
}
