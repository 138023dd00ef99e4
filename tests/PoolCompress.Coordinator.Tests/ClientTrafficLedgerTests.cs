using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The coordinator's per-client task bookkeeping holds one round's tasks, however many clients ever trained.</summary>
public sealed class ClientTrafficLedgerTests
{
    [Fact]
    public void Tasks_of_earlier_rounds_that_never_ended_are_dropped_when_a_newer_round_begins()
    {
        var ledger = new ClientTrafficLedger(Options.Create(new FederationSettings()));
        for (int i = 0; i < 1000; i++) ledger.Begin($"client-{i:D4}", round: 1, new ConnectionTraffic());
        Assert.Equal(1000, ledger.OpenTasks);

        ledger.Begin("client-0001", round: 2, new ConnectionTraffic());
        ledger.Begin("client-0002", round: 2, new ConnectionTraffic());
        // A client still downloading round 1's model once round 2 began cannot end that task usefully any more.
        ledger.Begin("client-0003", round: 1, new ConnectionTraffic());

        Assert.Equal(3, ledger.OpenTasks);
        ledger.Begin("client-0004", round: 3, new ConnectionTraffic());
        Assert.Equal(1, ledger.OpenTasks);
    }
}
