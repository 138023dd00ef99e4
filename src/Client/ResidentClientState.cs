using System.Collections.Concurrent;
using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>Every client's state stays in memory: the default, fine for tens of clients per process.</summary>
public sealed class ResidentClientState : IClientStateStore
{
    private readonly ConcurrentDictionary<string, UpdateEncoder> _encoders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UnacknowledgedUpdate> _sent = new(StringComparer.Ordinal);

    public bool HoldsGlobalModel => true;

    public UpdateEncoder Restore(string clientId, Func<UpdateEncoder> create) => _encoders.GetOrAdd(clientId, _ => create());

    public UnacknowledgedUpdate? Unacknowledged(string clientId) => _sent.GetValueOrDefault(clientId);

    public void Keep(string clientId, UpdateEncoder encoder, UnacknowledgedUpdate sent)
    {
        _encoders[clientId] = encoder;
        _sent[clientId] = sent;
    }
}
