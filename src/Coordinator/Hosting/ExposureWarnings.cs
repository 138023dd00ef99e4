using System.Net;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// What an operator who exposes the coordinator beyond loopback should hear at once: listening on the network without
/// TLS, or telling clients apart by a shared token (or not at all), which lets whoever holds it act as any client.
/// </summary>
internal static class ExposureWarnings
{
    public static IEnumerable<string> For(CoordinatorOptions options)
    {
        if (IPAddress.IsLoopback(IPAddress.Parse(options.ListenAddress))) yield break;
        string where = $"listening on {options.ListenAddress}:{options.Port}, beyond loopback";
        if (!options.Tls.Enabled)
            yield return $"{where} without TLS: tokens and model updates cross the network in clear text; set --tls-cert and --tls-key (docs/identity.md)";
        if (string.IsNullOrEmpty(options.Tls.ClientCaPath) && string.IsNullOrEmpty(options.ClientTokensPath))
            yield return string.IsNullOrEmpty(options.Token)
                ? $"{where} without client authentication: anyone who reaches the port can join and act as any client; issue per-client certificates or tokens with 'certs issue' (docs/identity.md)"
                : $"{where} with a shared --token only: whoever holds it can act as any client; issue per-client certificates or tokens with 'certs issue' (docs/identity.md)";
    }
}
