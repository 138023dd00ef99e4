using System.CommandLine;
using PoolCompress.Coordinator;

namespace PoolCompress.Cli;

/// <summary>Options for watching a running coordinator: its HTTP/1.1 listener for /metrics, /dashboard and /orleans/.</summary>
internal sealed class WatchCliOptions
{
    public Option<int> MetricsPort { get; } = new("--metrics-port")
    {
        Description = "HTTP/1.1 port for /metrics (Prometheus) and /dashboard (default: none)",
    };

    public Option<bool> OrleansDashboard { get; } = new("--orleans-dashboard")
    {
        Description = "Also serve Orleans' own dashboard (silos, grains, calls) at /orleans/ on the metrics port",
    };

    public IEnumerable<Option> All => [MetricsPort, OrleansDashboard];

    public void AddTo(Dictionary<string, string?> configuration, ParseResult parse)
    {
        configuration.Put(parse, MetricsPort, $"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.MetricsPort)}");
        configuration.Put(parse, OrleansDashboard, $"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.OrleansDashboard)}");
    }

    /// <summary>
    /// Where a simulation's watch listener will be: on the default loopback address. Null without one, or with a port
    /// the coordinator's validation will refuse (it says why).
    /// </summary>
    public Uri? LoopbackAddress(ParseResult parse) =>
        parse.GetResult(MetricsPort) is not null
        && Uri.TryCreate($"http://{new CoordinatorOptions().ListenAddress}:{parse.GetValue(MetricsPort)}/", UriKind.Absolute, out var address)
            ? address
            : null;

    /// <summary>The line telling an operator where to look, when the listener is on.</summary>
    public static string? Describe(Uri? watchAddress, bool tokenRequired) =>
        watchAddress is null ? null
        : $"dashboard: {new Uri(watchAddress, "dashboard")}{(tokenRequired ? "?token=TOKEN" : "")}, metrics: {new Uri(watchAddress, "metrics")}";
}
