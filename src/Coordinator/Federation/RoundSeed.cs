namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// The System.Random seed for one use (<paramref name="stream"/>) of a round attempt's randomness, mixed from the
/// run's seed: System.Random with an explicit seed uses a fixed algorithm across runtimes, unlike string.GetHashCode.
/// </summary>
public static class RoundSeed
{
    /// <summary>Client selection's stream.</summary>
    public const ulong Selection = 0;

    /// <summary>The differential-privacy noise's stream.</summary>
    public const ulong PrivacyNoise = 1;

    public static int For(long seed, int round, int attempt, ulong stream)
    {
        ulong h = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)round * 0xBF58476D1CE4E5B9UL ^ (ulong)attempt * 0x94D049BB133111EBUL
            ^ stream * 0xD6E8FEB86659FD93UL);
        h ^= h >> 31;
        return unchecked((int)h & int.MaxValue);
    }
}
