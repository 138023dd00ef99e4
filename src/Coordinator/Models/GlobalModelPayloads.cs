using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>A downlink payload and the model version it is a difference from (0: the whole model).</summary>
public sealed record ModelPayload(byte[] Bytes, long BaseVersion);

/// <summary>
/// Encodes each model version's downlink payloads once per silo, however many clients download them: a
/// difference for clients that hold the previous published version, the whole model for everyone else.
/// </summary>
public sealed class GlobalModelPayloads(IModelStore store, DownlinkEncoder downlink, IOptions<FederationSettings> settings)
{
    private const int VersionsKept = 2;
    private readonly ConcurrentDictionary<(long Version, bool Difference), Lazy<Task<ModelPayload>>> _payloads = new();
    private string FederationId => settings.Value.FederationId;

    public Task<ModelPayload> GetAsync(long version, long knownVersion)
    {
        bool difference = downlink.SendsDifferences && version > 1 && knownVersion == version - 1;
        var payload = _payloads.GetOrAdd((version, difference), key => new Lazy<Task<ModelPayload>>(() => EncodeAsync(key.Version, key.Difference)));
        foreach (var old in _payloads.Keys.Where(k => k.Version <= version - VersionsKept)) _payloads.TryRemove(old, out _);
        return payload.Value;
    }

    private async Task<ModelPayload> EncodeAsync(long version, bool difference)
    {
        if (!difference)
        {
            string series = downlink.SendsDifferences ? ModelSeries.Published(FederationId) : ModelSeries.Global(FederationId);
            return new ModelPayload(downlink.Full(await LoadAsync(series, version)), BaseVersion: 0);
        }
        var target = await LoadAsync(ModelSeries.Global(FederationId), version);
        var published = await LoadAsync(ModelSeries.Published(FederationId), version - 1);
        return new ModelPayload(downlink.Difference(target, published, version), BaseVersion: version - 1);
    }

    private async Task<float[]> LoadAsync(string series, long version) =>
        await store.LoadAsync(series, version) ?? throw new InvalidOperationException($"model {series} version {version} is not in the model store");
}
