using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Silo and gateway ports for a coordinator told to choose them (0). An Orleans silo advertises the port it is given,
/// so it cannot bind port 0 and learn one from the system: a free port is picked instead, below the system's ephemeral
/// range so that no outgoing connection is given it between the pick and the bind, and a start whose picked port
/// another process took in that moment is retried with new ones (<see cref="CoordinatorRun.StartAsync"/>).
/// </summary>
public static class SiloPorts
{
    /// <summary>Starts tried before a bind failure on picked ports is given up on.</summary>
    public const int Attempts = 5;

    private static readonly string[] Keys = [$"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.SiloPort)}", $"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.GatewayPort)}"];

    /// <summary>Above the ports common services are configured on (Redis 6379, the coordinator's 5080 and 11111).</summary>
    private const int LowestPort = 12000;

    private const string EphemeralRange = "/proc/sys/net/ipv4/ip_local_port_range";

    private static readonly Lazy<int> EphemeralPortsStart = new(() =>
        File.Exists(EphemeralRange) && int.TryParse(File.ReadAllText(EphemeralRange).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out int start) ? start : 32768);

    /// <summary>The configuration, later keys winning, with a free port for each silo or gateway port given as 0; <paramref name="picked"/> says whether any was.</summary>
    public static Dictionary<string, string?> Resolve(IEnumerable<KeyValuePair<string, string?>> configuration, out bool picked)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration) resolved[key] = value;
        var chosen = Keys.Where(key => resolved.GetValueOrDefault(key) == "0").ToList();
        foreach (string key in chosen) resolved[key] = Free().ToString(CultureInfo.InvariantCulture);
        picked = chosen.Count > 0;
        return resolved;
    }

    /// <summary>
    /// A loopback port free now, below the ephemeral range: for what cannot bind port 0 and report it (a silo, and in
    /// tests a metrics listener or a Redis server dialled by number).
    /// </summary>
    public static int Free()
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

    /// <summary>Whether a start failed because a port it was to bind is in use.</summary>
    public static bool IsTaken(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTaken),
        { InnerException: { } inner } => IsTaken(inner),
        _ => false,
    };
}
