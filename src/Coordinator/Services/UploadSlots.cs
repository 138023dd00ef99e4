using System.Collections.Concurrent;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// One upload in flight per client on this silo: a client opening stream after stream cannot multiply the memory
/// and time the coordinator spends on it.
/// </summary>
public sealed class UploadSlots
{
    private readonly ConcurrentDictionary<string, byte> _busy = new(StringComparer.Ordinal);

    /// <summary>The client's slot, to dispose when its upload ends; null when it already has one in flight.</summary>
    public IDisposable? TryTake(string clientId) => _busy.TryAdd(clientId, 0) ? new Slot(this, clientId) : null;

    private sealed class Slot(UploadSlots owner, string clientId) : IDisposable
    {
        public void Dispose() => owner._busy.TryRemove(clientId, out _);
    }
}
