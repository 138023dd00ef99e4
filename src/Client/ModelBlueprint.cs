using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>What every client of a process knows about the federation's model before training: its layout and the
/// initial weights the federation's seed gives it (global model version 1). Shared, so never written to.</summary>
public sealed record ModelBlueprint(ModelLayout Layout, float[] InitialWeights);
