using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Model versions in Redis, so that every silo of a cluster (and a restarted one) reads the versions any silo
/// wrote. Only the last few versions of a series are kept.
/// </summary>
public sealed class RedisModelStore(IConnectionMultiplexer redis) : IModelStore
{
    private const int VersionsKept = 3;

    public async Task SaveAsync(string series, long version, ReadOnlyMemory<float> weights, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        await database.StringSetAsync(Key(series, version), MemoryMarshal.AsBytes(weights.Span).ToArray());
        await database.KeyDeleteAsync(Key(series, version - VersionsKept));
    }

    public async Task<float[]?> LoadAsync(string series, long version, CancellationToken cancellationToken = default)
    {
        byte[]? bytes = await redis.GetDatabase().StringGetAsync(Key(series, version));
        if (bytes is null) return null;
        if (bytes.Length % sizeof(float) != 0)
            throw new InvalidDataException($"model {series} version {version} in Redis has {bytes.Length} bytes, not a whole number of float32 values");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private static RedisKey Key(string series, long version) => $"poolcompress:model:{series}:{version}";
}
