using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// One training slot of a process: the <see cref="TorchThread"/> its work runs on and the one model its clients
/// train in turn. A client sets all of the model's weights before it trains and the models have no buffers
/// (GroupNorm, never BatchNorm), so sharing the model gives the same results as a model per client, at the
/// memory of one network instead of one per virtual client.
/// </summary>
public sealed class TrainingSlot(string name) : IDisposable
{
    private FederatedModel? _model;
    private string? _recipe;

    internal TorchThread Thread { get; } = new(name);

    /// <summary>The model the federation <paramref name="config"/> describes, built on first use. Call on <see cref="Thread"/>.</summary>
    public FederatedModel ModelFor(FederationConfig config)
    {
        string recipe = Recipe(config);
        if (_model is not null && _recipe == recipe) return _model;
        _model?.Dispose();
        _model = null;
        (_model, _recipe) = (Build(config), recipe);
        return _model;
    }

    /// <summary>A new model as the federation's seed initializes it.</summary>
    /// <exception cref="ModelLayoutMismatchException">The model built here does not have the coordinator's parameter layout.</exception>
    public static FederatedModel Build(FederationConfig config)
    {
        var model = ModelFactory.Create(config.Model, string.IsNullOrEmpty(config.HeadPool) ? null : config.HeadPool, unchecked((long)config.Seed), DataAgreement.SpecOf(config));
        try
        {
            LayoutAgreement.Check(LayoutAgreement.LayoutOf(model), config);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static string Recipe(FederationConfig config) =>
        $"{config.Model}|{config.HeadPool}|{string.Join(',', config.InputShape)}|{string.Join(',', config.ClassNames)}|{config.LayoutFingerprint}";

    public void Dispose()
    {
        if (_model is { } model) Thread.RunAsync(() => { model.Dispose(); return 0; });
        Thread.Dispose();
    }
}
