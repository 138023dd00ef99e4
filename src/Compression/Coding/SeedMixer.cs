namespace PoolCompress.Compression.Coding;

/// <summary>SplitMix64 finalizer: turns structured inputs (seed, index) into well-spread 64-bit values.</summary>
internal static class SeedMixer
{
    public static ulong Mix(ulong seed, ulong salt)
    {
        var z = seed + (salt + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform float in [0, 1) derived from (seed, index) alone, so element i's draw does not depend on order.</summary>
    public static float UnitFloat(ulong seed, ulong index) => (Mix(seed, index) >> 40) * (1f / (1 << 24));
}
