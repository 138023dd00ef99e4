namespace PoolCompress.Integration.Tests;

/// <summary>A Redis server and the reference run of <see cref="MultiSiloFederation"/>, no silo lost, shared by the failover tests.</summary>
public sealed class UndisturbedMultiSiloRun : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-silos-").FullName;
    private RedisServer? _redis;

    internal RedisServer Redis => _redis ?? throw new InvalidOperationException("not initialized");

    internal MultiSiloFederation.Outcome Outcome { get; private set; } = null!;

    internal string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Outcome = await MultiSiloFederation.RunAsync(Redis, NewDirectory("undisturbed"), "undisturbed", victim: null);
    }

    public Task DisposeAsync()
    {
        _redis?.Dispose();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}
