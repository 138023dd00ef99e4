using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Tests;

/// <summary>Where a call begins on its connection's socket counters, which decides what a refused call brought in.</summary>
public sealed class ConnectionTrafficTests
{
    [Fact]
    public void A_call_on_an_idle_connection_owns_the_bytes_that_arrived_before_its_handler_ran()
    {
        var connection = new ConnectionTraffic();
        connection.OnReceived(300);
        var poll = connection.CallStarted();
        connection.OnReceived(40);
        connection.CallEnded();
        long polled = (connection.Snapshot() - poll).Received;
        // An upload fills the HTTP/2 window at once: its bytes are counted before its handler marks the call.
        connection.OnReceived(786_432);

        var upload = connection.CallStarted();

        Assert.Equal(340, polled);
        Assert.Equal(786_432, (connection.Snapshot() - upload).Received);
    }

    [Fact]
    public void A_call_that_starts_beside_another_begins_where_it_starts()
    {
        var connection = new ConnectionTraffic();
        var poll = connection.CallStarted();
        connection.OnReceived(500);

        var upload = connection.CallStarted();
        connection.OnReceived(70);
        connection.CallEnded();

        Assert.Equal(570, (connection.Snapshot() - poll).Received);
        Assert.Equal(70, (connection.Snapshot() - upload).Received);
    }
}
