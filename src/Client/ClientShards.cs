using PoolCompress.Learning;
using PoolCompress.Protos;

namespace PoolCompress.Client;

/// <summary>Each client's slice of the training data: the same partition spec and seed give every process the same slices.</summary>
public static class ClientShards
{
    public static Dataset[] Split(Dataset train, string partition, int clients, long seed)
    {
        var indices = Partitioners.Parse(partition).Partition(train.Labels, clients, unchecked((int)seed));
        return indices.Select(train.Subset).ToArray();
    }

    public static string ClientId(int index) => FederationMembers.IdOf(index);
}
