using PoolCompress.Coordinator.Federation;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Models;

/// <summary>Takes a global model version out of the model store as safetensors, a PyTorch state dict and a JSON description.</summary>
public static class ModelExporter
{
    public static async Task ExportAsync(
        IModelStore store, FederationSettings settings, long version, int rounds, IReadOnlyDictionary<string, double> metrics, string path,
        CancellationToken cancellationToken = default)
    {
        using var model = await LoadAsync(store, settings, version, cancellationToken);
        var spec = settings.ParseDataSpec();
        ModelExport.Write(model, new ExportInfo(settings.Model, model.HeadPool, spec.InputShape, spec.Classes, rounds, metrics), path);
    }

    /// <summary>The model of <paramref name="settings"/> holding the weights of global model <paramref name="version"/>.</summary>
    public static async Task<FederatedModel> LoadAsync(IModelStore store, FederationSettings settings, long version, CancellationToken cancellationToken = default)
    {
        var weights = await store.LoadAsync(ModelSeries.Global(settings.FederationId), version, cancellationToken)
            ?? throw new InvalidOperationException($"model version {version} of federation '{settings.FederationId}' is not in the model store");
        var spec = settings.ParseDataSpec();
        var model = ModelFactory.Create(settings.Model, settings.HeadPool, settings.Seed, spec);
        if (weights.Length != model.ParameterCount)
        {
            model.Dispose();
            throw new DataFormatException(
                $"model version {version} holds {weights.Length:N0} values, but {settings.Model}{(model.HeadPool is null ? "" : "+" + model.HeadPool)} " +
                $"for {spec} has {model.ParameterCount:N0} parameters: give the federation's --model, --head-pool, --classes and --input-shape");
        }
        model.SetWeights(weights);
        return model;
    }
}
