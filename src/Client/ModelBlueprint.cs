using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>What every client of a process knows about the federation's model before training: its layout and the
/// initial weights the federation's seed gives it (global model version 1). Shared, so never written to.</summary>
public sealed record ModelBlueprint(ModelLayout Layout, float[] InitialWeights)
{
    /// <summary>The <see cref="ModelHash"/> of the initial weights, which a client that rebuilds version 1 states it holds.</summary>
    public ulong InitialHash { get; } = ModelHash.Of(InitialWeights);
}
