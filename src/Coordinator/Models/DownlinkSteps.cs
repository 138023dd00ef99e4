using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// The downlink differences of the last <see cref="CoordinatorOptions.DownlinkVersionsKept"/> model versions,
/// encoded once per silo. A difference is recomputed from the model store (the global model of its version and the
/// published model before it, and under a predicting codec the one before that) the first time this silo needs it, so a restarted coordinator sends the same bytes;
/// when the store no longer holds them the step is gone and clients that need it get the whole model.
/// </summary>
public sealed class DownlinkSteps(IModelStore store, DownlinkEncoder downlink, IOptions<FederationSettings> settings, IOptions<CoordinatorOptions> options)
{
    private readonly ConcurrentDictionary<long, Lazy<Task<DownlinkStep?>>> _steps = new();
    private long _newest;

    public int VersionsKept => options.Value.DownlinkVersionsKept;

    /// <summary>The step to <paramref name="version"/> (2 or later), or null when it can no longer be computed.</summary>
    public Task<DownlinkStep?> GetAsync(long version)
    {
        long newest = InterlockedMax(ref _newest, version);
        if (version < 2 || version <= newest - VersionsKept) return Task.FromResult<DownlinkStep?>(null);
        var step = _steps.GetOrAdd(version, v => new Lazy<Task<DownlinkStep?>>(() => EncodeAsync(v)));
        foreach (var old in _steps.Keys.Where(v => v <= newest - VersionsKept)) _steps.TryRemove(old, out _);
        return step.Value;
    }

    private async Task<DownlinkStep?> EncodeAsync(long version)
    {
        string federation = settings.Value.FederationId;
        var target = await store.LoadAsync(ModelSeries.Global(federation), version);
        var published = await store.LoadAsync(ModelSeries.Published(federation), version - 1);
        var previous = downlink.Predicts && version > 2 ? await store.LoadAsync(ModelSeries.Published(federation), version - 2) : published;
        if (target is null || published is null || previous is null) return null;
        byte[] difference = downlink.Difference(target, published, previous, version);
        return new DownlinkStep(version, difference, ModelHash.Of(published), ModelHash.Of(downlink.Apply(published, previous, difference, version)));
    }

    private static long InterlockedMax(ref long location, long value)
    {
        long current = Volatile.Read(ref location);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current) return value;
            current = seen;
        }
        return current;
    }
}
