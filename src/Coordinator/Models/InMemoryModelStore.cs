using System.Collections.Concurrent;

namespace PoolCompress.Coordinator.Models;

/// <summary>The embedded default: model versions live as long as the process. Old versions are dropped.</summary>
public sealed class InMemoryModelStore : IModelStore
{
    private const int VersionsKept = 3;
    private readonly ConcurrentDictionary<(string, long), float[]> _versions = new();

    public Task SaveAsync(string series, long version, ReadOnlyMemory<float> weights, CancellationToken cancellationToken = default)
    {
        _versions[(series, version)] = weights.ToArray();
        _versions.TryRemove((series, version - VersionsKept), out _);
        return Task.CompletedTask;
    }

    public Task<float[]?> LoadAsync(string series, long version, CancellationToken cancellationToken = default) =>
        Task.FromResult(_versions.TryGetValue((series, version), out var weights) ? weights : null);
}
