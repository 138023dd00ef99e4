using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Coordinator.Tests;

public sealed class ClientSelectionTests
{
    private static readonly string[] Clients = Enumerable.Range(0, 20).Select(i => $"client-{i:D4}").ToArray();

    [Fact]
    public void Same_seed_and_round_select_the_same_clients_whatever_the_join_order()
    {
        var a = ClientSelection.Select(Clients, 5, seed: 7, round: 3, attempt: 0);
        var b = ClientSelection.Select(Clients.Reverse(), 5, seed: 7, round: 3, attempt: 0);
        Assert.Equal(a, b);
        Assert.Equal(5, a.Distinct().Count());
    }

    [Fact]
    public void Rounds_and_seeds_change_the_selection()
    {
        var selections = Enumerable.Range(1, 10).Select(r => string.Join(",", ClientSelection.Select(Clients, 5, 7, r, 0))).ToHashSet();
        Assert.True(selections.Count > 5);
        Assert.NotEqual(ClientSelection.Select(Clients, 5, 7, 1, 0), ClientSelection.Select(Clients, 5, 8, 1, 0));
    }

    [Theory]
    [InlineData("fedavg")]
    [InlineData("fedprox:mu=0.1")]
    [InlineData("multikrum")]
    public void A_strategy_that_keeps_the_default_selects_exactly_the_seeded_clients(string spec)
    {
        var strategy = FederatedStrategies.Create(spec);
        for (int round = 1; round <= 5; round++)
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var fits = strategy.SelectForFit(new FitRound(Clients, Count: 7, Seed: 11, round, attempt));
                Assert.Equal(ClientSelection.Select(Clients, 7, seed: 11, round, attempt), fits.Select(f => f.ClientId));
            }
    }

    [Theory]
    [InlineData(1.0, 2, 20, 20)]
    [InlineData(0.1, 2, 20, 2)]
    [InlineData(0.1, 5, 20, 5)]
    [InlineData(0.25, 1, 20, 5)]
    [InlineData(0.5, 2, 3, 2)]
    public void Clients_per_round_is_the_fraction_but_at_least_the_minimum(double fraction, int min, int joined, int expected) =>
        Assert.Equal(expected, new FederationSettings { Fraction = fraction, MinClients = min, Clients = joined }.ClientsPerRound(joined));
}
