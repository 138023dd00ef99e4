using System.Net;
using Microsoft.Extensions.Options;

namespace PoolCompress.Coordinator.Hosting;

internal sealed class CoordinatorOptionsValidator : IValidateOptions<CoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorOptions o)
    {
        var errors = new List<string>();
        AddEndpointProblems(errors, o);
        AddLimitProblems(errors, o);
        AddTopologyProblems(errors, o);
        AddWatchProblems(errors, o);
        errors.AddRange(CoordinatorIdentity.Problems(o));
        errors.AddRange(SiloTls.Problems(o.Orleans.Tls));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void AddEndpointProblems(List<string> errors, CoordinatorOptions o)
    {
        if (!IPAddress.TryParse(o.ListenAddress, out _)) errors.Add($"listen address '{o.ListenAddress}' is not an IP address");
        CheckPort(errors, "port", o.Port, allowZero: true);
        CheckPort(errors, "silo port", o.SiloPort, allowZero: false);
        CheckPort(errors, "gateway port", o.GatewayPort, allowZero: false);
    }

    private static void AddLimitProblems(List<string> errors, CoordinatorOptions o)
    {
        if (o.LongPoll <= TimeSpan.Zero) errors.Add($"long poll must be positive, got {o.LongPoll}");
        if (o.TrafficReportPeriod <= TimeSpan.Zero) errors.Add($"traffic report period must be positive, got {o.TrafficReportPeriod}");
        if (o.MinUploadBytesPerSecond < 1) errors.Add($"min upload rate (--min-upload-rate) must be at least 1 byte/s, got {o.MinUploadBytesPerSecond}");
        if (o.SecureStageTimeout <= TimeSpan.Zero) errors.Add($"secure stage timeout must be positive, got {o.SecureStageTimeout}");
        if (o.UploadGrace <= TimeSpan.Zero) errors.Add($"upload grace (--upload-grace) must be positive, got {o.UploadGrace}");
        if (o.MaxConnections < 1) errors.Add($"max connections must be at least 1, got {o.MaxConnections}");
        if (o.MaxStreamsPerConnection < 2) errors.Add($"max streams per connection must be at least 2 (a long poll and an upload), got {o.MaxStreamsPerConnection}");
        if (!string.IsNullOrEmpty(o.DataDir) && !Directory.Exists(o.DataDir)) errors.Add($"data directory '{o.DataDir}' does not exist");
    }

    private static void AddTopologyProblems(List<string> errors, CoordinatorOptions o)
    {
        if (!ClusteringModes.All.Contains(o.Clustering)) errors.Add($"clustering '{o.Clustering}' is unknown; allowed: {string.Join(", ", ClusteringModes.All)}");
        if (!StorageModes.All.Contains(o.Storage)) errors.Add($"storage '{o.Storage}' is unknown; allowed: {string.Join(", ", StorageModes.All)}");
        if ((o.Clustering == ClusteringModes.Redis || o.Storage == StorageModes.Redis) && string.IsNullOrWhiteSpace(o.Redis))
            errors.Add("redis clustering or storage needs a Redis connection string (Coordinator:Redis)");
        if (o.AdvertisedAddress is { Length: > 0 } advertised && !IPAddress.TryParse(advertised, out _))
            errors.Add($"advertised address '{advertised}' is not an IP address");
    }

    /// <summary>The metrics listener, the dashboard on it, and where traces go.</summary>
    private static void AddWatchProblems(List<string> errors, CoordinatorOptions o)
    {
        if (o.MetricsPort is { } metricsPort)
        {
            CheckPort(errors, "metrics port", metricsPort, allowZero: false);
            if (metricsPort == o.Port) errors.Add($"metrics port {metricsPort} is the gRPC port; the metrics listener needs a port of its own");
        }
        if (o.OrleansDashboard && o.MetricsPort is null)
            errors.Add("the Orleans dashboard is served on the metrics listener; set a metrics port (--metrics-port) as well");
        if (o.Otlp.Endpoint is { Length: > 0 } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _))
            errors.Add($"OTLP endpoint '{otlp}' is not an absolute URI");
    }

    private static void CheckPort(List<string> errors, string what, int port, bool allowZero)
    {
        if (port < (allowZero ? 0 : 1) || port > 65535) errors.Add($"{what} must be between {(allowZero ? 0 : 1)} and 65535, got {port}");
    }
}
