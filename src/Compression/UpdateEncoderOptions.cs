namespace PoolCompress.Compression;

public sealed class UpdateEncoderOptions
{
    /// <summary>Keep what the codec dropped and add it to the next update, so that nothing is lost, only delayed.</summary>
    public bool ErrorFeedback { get; init; } = true;

    /// <summary>Momentum factor for DGC momentum correction (accumulating velocity, not gradients, before compression); 0 turns it off.</summary>
    public double Momentum { get; init; }

    /// <summary>Tensors with fewer elements than this, and 1-D tensors such as biases, are sent whole rather than through
    /// the codec chain (exact float32 for a lossless codec, float16 for a lossy one): they cost little and sparsifying
    /// or coarsely quantizing them hurts accuracy most.</summary>
    public int DenseBelowElements { get; init; } = DefaultDenseBelowElements;

    public const int DefaultDenseBelowElements = 1024;

    /// <summary>The wire format version to write: 2 (the default) carries the layout's fingerprint where version 1
    /// named and shaped every tensor; 1 is for decoders written against the first version of docs/wire-format.md.</summary>
    public ushort WireVersion { get; init; } = 2;

    /// <summary>How many updates this encoder's stream sent before it was built, for a density schedule
    /// (<c>topk:F:global:warmup=N</c>) whose encoder is rebuilt for every update: the coordinator encodes each
    /// downlink step afresh, deterministically from its version, so a restarted silo sends the same bytes.</summary>
    public long PriorUpdates { get; init; }
}
