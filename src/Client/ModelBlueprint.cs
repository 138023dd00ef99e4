using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>What every client of a process knows about the federation's model before training: its layout and the
/// initial weights the federation's seed gives it (global model version 1). Shared, so never written to.</summary>
public sealed record ModelBlueprint(ModelLayout Layout, float[] InitialWeights)
{
    /// <summary>The <see cref="ModelHash"/> of the initial weights, which a client that rebuilds version 1 states it holds.</summary>
    public ulong InitialHash { get; } = ModelHash.Of(InitialWeights);

    /// <summary>
    /// Federated distillation's shared state as the coordinator states it: the consensus soft labels, one tensor of a
    /// row of class probabilities per transfer sample, uniform at version 1.
    /// </summary>
    public static ModelBlueprint ConsensusOf(FederationConfig config)
    {
        var layout = new ModelLayout(config.Layout.Select(t => new TensorInfo(t.Name, [.. t.Shape])));
        if (layout.Count != 1 || layout[0].Name != KnowledgeSharing.ConsensusTensor || layout[0].Shape is not [var samples, var classes]
            || samples != config.TransferSamples || classes != config.ClassNames.Count || layout.Fingerprint != config.LayoutFingerprint)
            throw new ModelLayoutMismatchException($"the coordinator's layout is not that of {config.TransferSamples} soft labels of {config.ClassNames.Count} classes");
        var uniform = new float[layout.TotalLength];
        Array.Fill(uniform, 1f / classes);
        return new ModelBlueprint(layout, uniform);
    }
}
