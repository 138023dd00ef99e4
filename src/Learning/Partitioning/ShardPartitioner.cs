namespace PoolCompress.Learning;

/// <summary>
/// McMahan et al.'s pathological non-IID split: sort by label, cut into clients x K equal shards, and deal each
/// client K shards at random, so most clients see only about K labels.
/// </summary>
internal sealed class ShardPartitioner(int shardsPerClient) : IPartitioner
{
    public string Spec => $"shards:{shardsPerClient}";

    public int[][] Partition(ReadOnlySpan<byte> labels, int clients, int seed)
    {
        Partitioners.Validate(labels, clients);
        int shards = clients * shardsPerClient;
        if (labels.Length < shards)
            throw new ArgumentException($"{labels.Length} samples are too few for {clients} clients x {shardsPerClient} shards", nameof(labels));

        // A stable sort keeps equal labels in index order, so the shards depend on the labels alone.
        byte[] keys = labels.ToArray();
        int[] sorted = [.. Enumerable.Range(0, keys.Length).OrderBy(i => keys[i])];
        int[] dealt = Shuffle.Permutation(shards, seed);
        return [.. Enumerable.Range(0, clients).Select(client => dealt
            .Skip(client * shardsPerClient).Take(shardsPerClient)
            .SelectMany(shard => sorted[EqualParts.Part(shard, shards, sorted.Length)])
            .ToArray())];
    }
}
