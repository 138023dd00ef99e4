using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Issue 13 finding 4: a join storm must not queue every join behind its own write of the grain state. Concurrent
/// joins are all answered, the stored client table ends up holding every one of them, and the state was written far
/// fewer times than there were joins.
/// </summary>
public sealed class JoinStormTests
{
    private const int Joins = 500;

    [Fact]
    public async Task A_join_storm_is_written_to_storage_in_a_few_batched_writes()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            // One more client than joins, so no round starts (a round start writes the state anyway).
            ["Federation:Clients"] = (Joins + 1).ToString(),
            ["Federation:JoinTimeout"] = TestCoordinator.SettledRoundTimeout,
        }, services => CountedGrainStorage.Wrap(services, FederationGrain.StorageName));
        var storage = (CountedGrainStorage)coordinator.App.Services.GetRequiredKeyedService<IGrainStorage>(FederationGrain.StorageName);
        var clientIds = Enumerable.Range(0, Joins).Select(i => $"c{i}").ToList();

        var answers = await Task.WhenAll(clientIds.Select(id => coordinator.Federation.Join(id, 100)));

        Assert.All(answers, settings => Assert.Equal(Joins + 1, settings.Clients));
        Assert.Equal(Joins, (await coordinator.Federation.GetStatus()).JoinedClients);
        var stored = await StoredClientsOnceAllJoinedAsync(storage).WaitAsync(TestCoordinator.Patience);
        Assert.Equal(clientIds.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(storage.Writes, 1, Joins / 10);
    }

    /// <summary>The client table in storage once the pending join write has put every join there.</summary>
    private static async Task<Dictionary<string, long>> StoredClientsOnceAllJoinedAsync(CountedGrainStorage storage) =>
        await WaitUntil.HoldsAsync(async () => (await storage.ReadLastWrittenAsync<FederationState>()).Clients,
            clients => clients.Count == Joins, $"all {Joins} joins in storage");
}
