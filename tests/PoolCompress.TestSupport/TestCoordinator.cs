using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.TestSupport;

/// <summary>A real coordinator host (Kestrel on a loopback port, an Orleans silo) configured for a small, fast federation.</summary>
internal sealed class TestCoordinator : IAsyncDisposable
{
    /// <summary>
    /// How long a test waits for a federation before calling it hung: a liveness bound, not a speed target, and
    /// generous because CI's two cores may be shared with other test assemblies.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    /// <summary>
    /// A round deadline for tests whose rounds must end because every selected client settled, never at the deadline:
    /// as long as <see cref="Patience"/>, so a loaded machine cannot turn slow training into a different outcome.
    /// </summary>
    public const string SettledRoundTimeout = "00:08:00";

    private TestCoordinator(WebApplication app) => App = app;

    public WebApplication App { get; }

    public Uri Address => App.ListeningAddress();

    public IFederationGrain Federation => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>("default");

    public static async Task<TestCoordinator> StartAsync(IDictionary<string, string?> overrides, Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Federation:Dataset"] = "synthetic",
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "2",
            ["Federation:MinClients"] = "1",
            ["Federation:Seed"] = "5",
            ["Federation:BatchSize"] = "10",
            ["Federation:RoundTimeout"] = "00:02:00",
            ["Coordinator:Port"] = "0",
            ["Coordinator:SiloPort"] = FreePort().ToString(),
            ["Coordinator:GatewayPort"] = FreePort().ToString(),
            ["Coordinator:LongPoll"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides) configuration[key] = value;
        var app = CoordinatorHost.Build(configuration, services);
        await app.StartAsync();
        return new TestCoordinator(app);
    }

    public Task<FederationStatus> WaitUntilDoneAsync(TimeSpan timeout) =>
        WaitUntilAsync(status => status.Phase == FederationPhase.Done, "the federation to be done", timeout);

    public Task<FederationStatus> WaitUntilAsync(Func<FederationStatus, bool> holds, string awaited, TimeSpan? timeout = null) =>
        WaitUntil.HoldsAsync(Federation.GetStatus, holds, awaited, timeout);

    /// <summary>A client's training task once the grain has started <paramref name="round"/>: task polls, as a client makes them.</summary>
    public async Task<TaskAssignment> TrainingTaskAsync(string clientId, int round)
    {
        while (true)
        {
            var assignment = await Federation.GetAssignment(clientId);
            if (assignment.Kind == AssignmentKind.Train && assignment.Round == round) return assignment;
            await Federation.WaitForChange(assignment.StateVersion, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>
    /// A free port for what cannot bind port 0 and report it (an Orleans silo advertises the port it is given, and
    /// metrics and Redis are dialled by number): below the system's ephemeral range, so that no outgoing connection
    /// can be given it between this check and the bind, as a port the system chose could be.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            int port = Random.Shared.Next(LowestPort, EphemeralPortsStart.Value);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: another candidate.
            }
        }
    }

    /// <summary>Above the ports common services are configured on (Redis 6379, the coordinator's 5080 and 11111).</summary>
    private const int LowestPort = 12000;

    private static readonly Lazy<int> EphemeralPortsStart = new(() =>
        File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out int start) ? start : 32768);

    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
