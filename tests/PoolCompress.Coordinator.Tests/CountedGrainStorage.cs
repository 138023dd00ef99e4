using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Grain storage that counts the writes reaching the storage it wraps, and reads back what was last written there,
/// so that a test can tell how often a grain writes its state without timing anything.
/// </summary>
internal sealed class CountedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private int _writes;
    private (string StateName, GrainId GrainId)? _lastWritten;

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>
    /// Wraps the grain storage the host registered under <paramref name="name"/> (call after the standard services);
    /// the host's service provider then hands out the wrapper under that name.
    /// </summary>
    public static void Wrap(IServiceCollection services, string name)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name));
        var factory = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"grain storage '{name}' is not registered through a factory");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new CountedGrainStorage((IGrainStorage)factory(provider, key)));
    }

    /// <summary>The state last written, read back from the wrapped storage.</summary>
    public async Task<T> ReadLastWrittenAsync<T>() where T : new()
    {
        var (stateName, grainId) = _lastWritten ?? throw new InvalidOperationException("nothing was written");
        var state = new GrainState<T>(new T());
        await inner.ReadStateAsync(stateName, grainId, state);
        return state.State ?? throw new InvalidOperationException($"storage holds no state for {grainId}");
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        _lastWritten = (stateName, grainId);
        Interlocked.Increment(ref _writes);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
