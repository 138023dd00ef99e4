namespace PoolCompress.Learning;

/// <summary>Cuts a length into near-equal consecutive parts (sizes differ by at most one).</summary>
internal static class EqualParts
{
    public static Range Part(int index, int parts, int length) => Cut(index, parts, length)..Cut(index + 1, parts, length);

    private static int Cut(int index, int parts, int length) => (int)((long)index * length / parts);
}
