using System.Net;
using System.Net.Sockets;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.Coordinator.Tests;

/// <summary>Silo and gateway ports given as 0 are chosen by the coordinator, and a bind failure is recognised so that it can choose again.</summary>
public sealed class SiloPortsTests
{
    private const string SiloKey = "Coordinator:SiloPort", GatewayKey = "Coordinator:GatewayPort";

    [Fact]
    public void Ports_given_as_zero_are_replaced_by_free_ones_and_given_ports_are_kept()
    {
        var resolved = SiloPorts.Resolve([new(SiloKey, "0"), new(GatewayKey, "30001")], out bool picked);

        Assert.True(picked);
        var silo = int.Parse(resolved[SiloKey]!);
        Assert.InRange(silo, 12000, 65535);
        Assert.Equal("30001", resolved[GatewayKey]);
    }

    [Fact]
    public void Without_a_zero_nothing_is_picked()
    {
        var resolved = SiloPorts.Resolve([new(SiloKey, "30000"), new(SiloKey, "30002")], out bool picked);

        Assert.False(picked);
        Assert.Equal("30002", resolved[SiloKey]);
    }

    [Fact]
    public async Task A_silo_port_another_process_holds_fails_the_start_as_taken_and_is_not_retried_when_it_was_given()
    {
        using var holder = new TcpListener(IPAddress.Loopback, SiloPorts.Free());
        holder.Start();
        int taken = ((IPEndPoint)holder.LocalEndpoint).Port;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestCoordinator.StartAsync(new Dictionary<string, string?> { [SiloKey] = taken.ToString() }));

        Assert.True(SiloPorts.IsTaken(error), error.ToString());
    }

    [Fact]
    public async Task A_coordinator_given_zero_starts_on_ports_it_chose()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>());

        Assert.NotNull(await coordinator.Federation.GetStatus());
    }

    [Fact]
    public void Only_an_address_in_use_however_wrapped_counts_as_taken()
    {
        var inUse = new SocketException((int)SocketError.AddressAlreadyInUse);

        Assert.True(SiloPorts.IsTaken(new InvalidOperationException("start", new AggregateException(new TimeoutException(), inUse))));
        Assert.False(SiloPorts.IsTaken(new InvalidOperationException("start", new SocketException((int)SocketError.ConnectionRefused))));
    }
}
