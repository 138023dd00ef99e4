using System.Net;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// What an operator who exposes the coordinator beyond loopback should hear at once: listening on the network without
/// TLS, or telling clients apart by a shared token (or not at all), which lets whoever holds it act as any member.
/// </summary>
internal static class ExposureWarnings
{
    private const string Remedy = "issue per-client certificates or tokens with 'certs issue' (docs/identity.md)";

    public static IEnumerable<string> For(CoordinatorOptions options, FederationMembership members)
    {
        if (IPAddress.IsLoopback(IPAddress.Parse(options.ListenAddress))) yield break;
        string where = $"listening on {options.ListenAddress}:{options.Port}, beyond loopback";
        if (!options.Tls.Enabled)
            yield return $"{where} without TLS: tokens and model updates cross the network in clear text; set --tls-cert and --tls-key (docs/identity.md)";
        if (CoordinatorIdentity.ProvesIdentities(options)) yield break;
        string who = string.IsNullOrEmpty(options.Token)
            ? "without client authentication: anyone who reaches the port"
            : "with a shared --token only: whoever holds it";
        string ids = members.IsOpen ? "any client id (give --members to list the ids that may join)" : $"any member ({members.Describe()})";
        yield return $"{where} {who} can join as {ids}, as many at once as it likes, each weighed as a client, and fetch tasks and push updates in any member's name; {Remedy}";
    }
}
