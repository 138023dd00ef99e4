namespace PoolCompress.Links;

/// <summary>
/// A Fisher–Yates shuffle driven by SplitMix64, so the same seed gives the same order on every runtime and platform
/// (System.Random's sequence for a seed is not promised to stay the same across .NET versions).
/// </summary>
internal static class SeededShuffle
{
    public static void Shuffle<T>(Span<T> items, long seed)
    {
        ulong state = unchecked((ulong)seed);
        for (int i = items.Length - 1; i > 0; i--)
        {
            // The modulo bias is at most i / 2^64: far below anything a link assignment could show.
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
