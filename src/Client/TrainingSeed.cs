using System.IO.Hashing;
using System.Text;

namespace PoolCompress.Client;

/// <summary>
/// The seed of one client's local training in one round, derived from the federation seed, the client id and the
/// round with a stable hash (string.GetHashCode differs between processes), so that runs repeat exactly.
/// </summary>
public static class TrainingSeed
{
    public static long Derive(ulong federationSeed, string clientId, int round)
    {
        var hash = new XxHash64(unchecked((long)federationSeed));
        hash.Append(Encoding.UTF8.GetBytes(clientId));
        hash.Append(BitConverter.GetBytes(round));
        return (long)(hash.GetCurrentHashAsUInt64() & long.MaxValue);
    }
}
