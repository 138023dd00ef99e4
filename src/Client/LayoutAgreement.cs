using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The model a client built checked against the parameter layout the coordinator states, before the client trains
/// anything: a plug-in assembly of another version, or another head pool, input shape or class count, builds other
/// tensors, and their updates would not fit the global model.
/// </summary>
public static class LayoutAgreement
{
    /// <summary>The tensors of <paramref name="model"/> in the order its flat weights hold them.</summary>
    public static ModelLayout LayoutOf(FederatedModel model) => new(model.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));

    /// <exception cref="ModelLayoutMismatchException">The layouts differ: the message names the first tensor that does.</exception>
    public static void Check(ModelLayout built, FederationConfig config)
    {
        ArgumentNullException.ThrowIfNull(built);
        ArgumentNullException.ThrowIfNull(config);
        var stated = new ModelLayout(config.Layout.Select(t => new TensorInfo(t.Name, [.. t.Shape])));
        string model = string.IsNullOrEmpty(config.HeadPool) ? config.Model : $"{config.Model}+{config.HeadPool}";
        string? difference = stated.FirstDifference(built) is { } i
            ? $"tensor {i} is {Describe(built, i)} here but {Describe(stated, i)} at the coordinator"
            : stated.Fingerprint != config.LayoutFingerprint ? $"the coordinator's layout_fingerprint {config.LayoutFingerprint:x16} is not that of its own layout ({stated.Fingerprint:x16})"
            : null;
        if (difference is not null)
            throw new ModelLayoutMismatchException(
                $"this client's {model} does not build the coordinator's parameter layout: {difference}; give the client the coordinator's --model-assembly, --model, --head-pool, --classes and --input-shape");
    }

    private static string Describe(ModelLayout layout, int index) =>
        index < layout.Count ? $"'{layout[index].Name}' [{string.Join(", ", layout[index].Shape)}]" : "absent";
}
