namespace PoolCompress.Compression.Codecs;

/// <summary>
/// What a stage keeps about one tensor from one update to the next of the same client (the low-rank stage's
/// warm-start factor). It lives in the <see cref="UpdateEncoder"/>, one per tensor, never in the stage, because a
/// parsed chain may be shared by many clients. Decoders need none of it.
/// </summary>
internal sealed class StageState
{
    public float[]? WarmStart { get; set; }
}
