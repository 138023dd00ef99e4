using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The silos' partial sums as a test sets them; a lost silo is one in <see cref="Gone"/>.</summary>
internal sealed class StubPartialSums : IPartialSums
{
    public Dictionary<string, PartialSum> Sums { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Gone { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> LiveKeys(string federationId) => Sums.Keys.Except(Gone).ToList();

    public Task<CollectedPartial> Collect(string partialKey, RoundAttempt attempt) => Task.FromResult(
        Gone.Contains(partialKey) || !Sums.TryGetValue(partialKey, out var sum) ? CollectedPartial.Lost : new CollectedPartial(sum, default));

    public bool IsGone(string partialKey) => Gone.Contains(partialKey);
}

/// <summary>A model store in memory that shows what was saved.</summary>
internal sealed class RecordingModelStore : IModelStore
{
    public Dictionary<(string Series, long Version), float[]> Saved { get; } = [];

    public Task SaveAsync(string series, long version, ReadOnlyMemory<float> weights, CancellationToken cancellationToken = default)
    {
        Saved[(series, version)] = weights.ToArray();
        return Task.CompletedTask;
    }

    public Task<float[]?> LoadAsync(string series, long version, CancellationToken cancellationToken = default) =>
        Task.FromResult(Saved.GetValueOrDefault((series, version)));
}
