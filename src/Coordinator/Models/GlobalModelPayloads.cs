using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// A downlink payload: the whole model (<paramref name="BaseVersion"/> 0; under a predicting downlink codec followed by
/// its last movement, <paramref name="DifferenceBytes"/> then giving the two sizes), or the differences of every
/// version after <paramref name="BaseVersion"/>, concatenated, of <paramref name="DifferenceBytes"/> sizes; <paramref name="Hash"/>
/// is the <see cref="ModelHash"/> of the model the client holds once it has applied the payload.
/// </summary>
public sealed record ModelPayload(byte[] Bytes, long BaseVersion, ulong Hash, IReadOnlyList<int> DifferenceBytes);

/// <summary>
/// What each client downloads for a model version, to train on or to evaluate alike. A client that already holds the
/// version, verified by its hash, gets nothing, with or without a downlink codec: evaluating a model and then training
/// on it costs one download. With a downlink codec, a client that holds an earlier published version gets the downlink
/// differences since that version, the very ones the clients that took part in every round applied, so it ends
/// bit-identical to the published model however many rounds it skipped. It gets the whole model when it holds none,
/// holds another model, the differences are no longer kept, or they would be no smaller.
/// </summary>
public sealed class GlobalModelPayloads(IModelStore store, DownlinkEncoder downlink, DownlinkSteps steps, IOptions<FederationSettings> settings)
{
    private const int VersionsKept = 2;
    private readonly ConcurrentDictionary<long, Lazy<Task<ModelPayload>>> _wholeModels = new();
    private string FederationId => settings.Value.FederationId;

    public async Task<ModelPayload> GetAsync(long version, long knownVersion, ulong knownHash)
    {
        var whole = await WholeModelAsync(version);
        // Every version's step is encoded while its models are surely in the store, for clients that need it later.
        if (downlink.SendsDifferences && version > 1) await steps.GetAsync(version);
        if (knownVersion == version && knownHash == whole.Hash) return new ModelPayload([], version, knownHash, []);
        return downlink.SendsDifferences ? await DifferencesAsync(version, knownVersion, knownHash, whole) ?? whole : whole;
    }

    private async Task<ModelPayload?> DifferencesAsync(long version, long knownVersion, ulong knownHash, ModelPayload whole)
    {
        if (knownVersion < 1 || knownVersion >= version) return null;
        var chain = new List<DownlinkStep>();
        long bytes = 0;
        for (long v = knownVersion + 1; v <= version; v++)
        {
            if (await steps.GetAsync(v) is not { } step) return null;
            if (v == knownVersion + 1 && step.BaseHash != knownHash) return null;
            bytes += step.Difference.Length;
            if (bytes >= whole.Bytes.Length) return null;
            chain.Add(step);
        }
        var payload = new byte[bytes];
        int offset = 0;
        foreach (var step in chain)
        {
            step.Difference.CopyTo(payload, offset);
            offset += step.Difference.Length;
        }
        return new ModelPayload(payload, knownVersion, chain[^1].Hash, chain.Select(s => s.Difference.Length).ToArray());
    }

    private Task<ModelPayload> WholeModelAsync(long version)
    {
        var payload = _wholeModels.GetOrAdd(version, v => new Lazy<Task<ModelPayload>>(() => EncodeWholeAsync(v)));
        foreach (var old in _wholeModels.Keys.Where(v => v <= version - VersionsKept)) _wholeModels.TryRemove(old, out _);
        return payload.Value;
    }

    private async Task<ModelPayload> EncodeWholeAsync(long version)
    {
        string series = downlink.SendsDifferences ? ModelSeries.Published(FederationId) : ModelSeries.Global(FederationId);
        var weights = await store.LoadAsync(series, version)
            ?? throw new InvalidOperationException($"model {series} version {version} is not in the model store");
        byte[] model = downlink.Full(weights);
        // A client predicts the next step from the model's last movement, so it needs that too; version 1 has none.
        if (!downlink.Predicts || version < 2 || await store.LoadAsync(series, version - 1) is not { } previous)
            return new ModelPayload(model, BaseVersion: 0, ModelHash.Of(weights), []);
        byte[] velocity = downlink.Velocity(weights, previous);
        return new ModelPayload([.. model, .. velocity], BaseVersion: 0, ModelHash.Of(weights), [model.Length, velocity.Length]);
    }
}
