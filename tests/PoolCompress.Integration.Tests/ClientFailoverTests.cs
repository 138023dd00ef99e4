using Microsoft.Extensions.Logging.Abstractions;
using PoolCompress.Client;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>A client given several silos' URLs talks to one that answers, whatever its place in the list.</summary>
[Collection(AloneCollection.Name)]
public sealed class ClientFailoverTests
{
    [Fact]
    public async Task A_client_whose_preferred_silo_is_down_trains_through_the_next_one()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "1",
            ["Federation:Rounds"] = "1",
            ["Federation:MinClients"] = "1",
        });
        var down = new Uri($"http://127.0.0.1:{TestCoordinator.FreePort()}");
        IReadOnlyList<Uri> silos = [down, coordinator.Address];
        var shard = ClientShards.Split(TrainingDigits.Few, "iid", 1, 5)[0];

        using var channel = FederationClient.CreateChannel(silos);
        using var gate = new TrainingGate();
        var client = new FederationClient(new ClientOptions { Coordinators = silos, ClientId = ClientShards.ClientId(0) },
            shard, gate, NullLogger<FederationClient>.Instance);
        var summary = await client.RunAsync(channel).WaitAsync(TestCoordinator.Patience);

        Assert.Equal(1, summary.RoundsTrained);
        Assert.Equal(1, Assert.Single((await coordinator.Federation.GetStatus()).History).Participants);
    }

    [Fact]
    public void Clients_spread_over_the_silos_by_index()
    {
        var silos = CoordinatorAddresses.Parse("http://a:1, http://b:2,http://c:3", out var problems);

        Assert.Empty(problems);
        Assert.Equal(["http://b:2/", "http://c:3/", "http://a:1/"], CoordinatorAddresses.PreferredBy(silos, 4).Select(u => u.ToString()));
        Assert.Equal(["http://a:1/", "http://b:2/", "http://c:3/"], CoordinatorAddresses.PreferredBy(silos, 3).Select(u => u.ToString()));
    }

    [Theory]
    [InlineData("http://a:1,ftp://b:2", "'ftp://b:2' is not an http:// or https:// URL")]
    [InlineData("http://a:1,https://b:2", "mixes http:// and https://")]
    [InlineData("http://a:1,http://A:1", "listed 2 times")]
    public void Lists_that_cannot_make_one_channel_are_refused(string list, string expected)
    {
        CoordinatorAddresses.Parse(list, out var problems);

        Assert.Contains(expected, Assert.Single(problems));
    }
}
