using System.Collections.Concurrent;
using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>Every client's state stays in memory: the default, fine for tens of clients per process.</summary>
public sealed class ResidentClientState : IClientStateStore
{
    private readonly ConcurrentDictionary<string, UpdateEncoder> _encoders = new(StringComparer.Ordinal);

    public bool HoldsGlobalModel => true;

    public UpdateEncoder Restore(string clientId, Func<UpdateEncoder> create) => _encoders.GetOrAdd(clientId, _ => create());

    public void Keep(string clientId, UpdateEncoder encoder) => _encoders[clientId] = encoder;
}
