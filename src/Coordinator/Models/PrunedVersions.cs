using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Under pruning during training, the live coordinates of the published model an update was trained from, over which
/// its payload is decoded: read from the model store once per version on each silo, so any silo decodes any update.
/// </summary>
public sealed class PrunedVersions(IModelStore store, DownlinkEncoder downlink, IOptions<FederationSettings> settings)
{
    private const int VersionsKept = 2;
    private readonly ConcurrentDictionary<long, Lazy<Task<LiveCoordinates?>>> _versions = new();

    /// <summary>The live coordinates of published version <paramref name="version"/>; null when the federation does not prune.</summary>
    /// <exception cref="InvalidDataException">The model store does not hold that version.</exception>
    public async Task<LiveCoordinates?> LiveOfAsync(long version)
    {
        if (!downlink.Prunes) return null;
        var live = _versions.GetOrAdd(version, v => new Lazy<Task<LiveCoordinates?>>(() => LoadAsync(v)));
        foreach (var old in _versions.Keys.Where(v => v <= version - VersionsKept)) _versions.TryRemove(old, out _);
        return await live.Value;
    }

    private async Task<LiveCoordinates?> LoadAsync(long version)
    {
        var id = settings.Value.FederationId;
        var series = downlink.SendsDifferences ? ModelSeries.Published(id) : ModelSeries.Global(id);
        var model = await store.LoadAsync(series, version)
            ?? throw new InvalidDataException($"the update is based on model version {version}, which the model store does not hold");
        return downlink.LiveOf(model, version);
    }
}
