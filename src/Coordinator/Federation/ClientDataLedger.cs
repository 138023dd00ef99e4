using System.Collections.Concurrent;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// What each client said at join about its data (training and validation samples), for the run's summary. Kept
/// per coordinator process: with several silos each records the clients that joined through it.
/// </summary>
public sealed class ClientDataLedger
{
    private readonly ConcurrentDictionary<string, ClientData> _clients = new(StringComparer.Ordinal);

    public void Record(string clientId, long train, long validation) => _clients[clientId] = new ClientData(clientId, train, validation);

    public IReadOnlyList<ClientData> Snapshot() => [.. _clients.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal)];
}
