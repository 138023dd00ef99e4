using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PoolCompress.Coordinator.Dashboard;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// The coordinator's instruments and their OpenTelemetry export: Prometheus when the watch listener is on, OTLP
/// (metrics and round traces) when a collector is configured.
/// </summary>
internal static class CoordinatorTelemetry
{
    /// <summary>The OTLP exporter's own configuration key; <see cref="OtlpOptions.Endpoint"/> is copied into it.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddCoordinatorTelemetry(this IServiceCollection services, IConfigurationManager configuration, CoordinatorOptions options)
    {
        services.AddSingleton<FederationMetrics>();
        services.AddSingleton<UploadsInFlight>();
        services.AddSingleton<DashboardPage>();

        if (options.Otlp.Endpoint is { Length: > 0 } endpoint) configuration[OtlpEndpointKey] = endpoint;
        bool otlp = !string.IsNullOrEmpty(configuration[OtlpEndpointKey]);
        if (options.MetricsPort is null && !otlp) return;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("poolcompress-coordinator"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TrafficMeter.MeterName);
                // Each scrape reads the instruments afresh: a cached answer would hide what changed since the last one.
                if (options.MetricsPort is not null) metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        if (otlp) telemetry.WithTracing(tracing => tracing.AddSource(RoundTracing.SourceName)).UseOtlpExporter();
    }
}
