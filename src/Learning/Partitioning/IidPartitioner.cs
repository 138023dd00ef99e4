namespace PoolCompress.Learning;

/// <summary>A seeded shuffle cut into near-equal parts: every client sees the overall label distribution.</summary>
internal sealed class IidPartitioner : IPartitioner
{
    public string Spec => "iid";

    public int[][] Partition(ReadOnlySpan<byte> labels, int clients, int seed)
    {
        Partitioners.Validate(labels, clients);
        int[] order = Shuffle.Permutation(labels.Length, seed);
        return [.. Enumerable.Range(0, clients).Select(client => order[EqualParts.Part(client, clients, order.Length)])];
    }
}
