using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PoolCompress.Coordinator.Dashboard;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.Integration.Tests;

/// <summary>A two-round loopback federation seen through its telemetry: the Prometheus endpoint, the dashboard's state and OTLP.</summary>
[Collection(AloneCollection.Name)]
public sealed class CoordinatorTelemetryTests
{
    private const string Token = "s3cret";

    [Fact]
    public async Task Prometheus_scrape_over_http1_matches_the_federation_and_is_not_counted_as_its_traffic()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:MetricsPort"] = TestCoordinator.FreePort().ToString(),
            ["Coordinator:Token"] = Token,
        });
        var clients = EndToEndFederationTests.StartClients(coordinator.Address, 3, token: Token);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await Task.WhenAll(clients);

        using var http = new HttpClient { BaseAddress = coordinator.App.WatchAddress(), DefaultRequestVersion = HttpVersion.Version11 };
        var refused = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpVersion.Version11, refused.Version);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var metrics = PrometheusText.Parse(await http.GetStringAsync("metrics"));

        Assert.Equal(2, metrics["poolcompress_rounds_total"]);
        Assert.Equal(status.History.Sum(r => r.UplinkBytes), metrics["poolcompress_uplink_bytes_total"]);
        Assert.Equal(status.History.Sum(r => r.DownlinkBytes), metrics["poolcompress_downlink_bytes_total"]);
        Assert.Equal(status.History[^1].UplinkBytes, metrics["poolcompress_round_uplink_bytes"]);
        Assert.Equal(status.History[^1].DownlinkBytes, metrics["poolcompress_round_downlink_bytes"]);
        Assert.Equal(status.History[^1].TestAccuracy, metrics["poolcompress_accuracy"], 9);
        Assert.Equal(3, metrics["poolcompress_round_participants"]);
        Assert.Equal(0, metrics["poolcompress_updates_rejected_total"]);
        Assert.Equal(0, metrics["poolcompress_updates_late_total"]);
        Assert.Equal(2, metrics["poolcompress_round_duration_seconds_count"]);
        Assert.Equal(status.History.Sum(r => r.WallSeconds), metrics["poolcompress_round_duration_seconds_sum"], 6);
        Assert.Equal(2, metrics["poolcompress_aggregation_duration_seconds_count"]);
        Assert.Equal(0, metrics["poolcompress_uploads_in_flight"]);

        // The dashboard and the scrapes themselves cross the watch listener only: the gRPC listener's counters stand still.
        var snapshot = await http.GetFromJsonAsync<DashboardSnapshot>("dashboard/state");
        var again = PrometheusText.Parse(await http.GetStringAsync("metrics"));
        Assert.Equal(metrics["poolcompress_transport_received_bytes_total"], again["poolcompress_transport_received_bytes_total"]);
        Assert.Equal(metrics["poolcompress_transport_sent_bytes_total"], again["poolcompress_transport_sent_bytes_total"]);

        Assert.NotNull(snapshot);
        Assert.Equal(("done", 2, "none"), (snapshot.Phase, snapshot.Round, snapshot.Codec));
        Assert.Equal(status.History.Sum(r => r.UplinkBytes), snapshot.History[^1].CumulativeUplinkBytes);
        Assert.Equal(["client-0000", "client-0001", "client-0002"], snapshot.Clients.Select(c => c.Id));
        Assert.All(snapshot.Clients, c => Assert.Equal((2, "idle"), (c.Updates, c.State)));
    }

    [Fact]
    public async Task A_token_in_the_query_opens_the_dashboard_and_a_wrong_one_does_not()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:MetricsPort"] = TestCoordinator.FreePort().ToString(),
            ["Coordinator:Token"] = Token,
        });
        using var http = new HttpClient { BaseAddress = coordinator.App.WatchAddress() };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("dashboard?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("dashboard/state")).StatusCode);
        var page = await http.GetAsync($"dashboard?token={Token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<svg id=\"by-round\"", await page.Content.ReadAsStringAsync());
        var state = await http.GetFromJsonAsync<DashboardSnapshot>($"dashboard/state?token={Token}");
        Assert.Equal(("waiting for clients", 0), (state!.Phase, state.History.Count));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"elsewhere?token={Token}")).StatusCode);
    }

    [Fact]
    public async Task Healthz_answers_a_probe_without_the_token_and_says_nothing_but_the_status()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:MetricsPort"] = TestCoordinator.FreePort().ToString(),
            ["Coordinator:Token"] = Token,
        });
        using var http = new HttpClient { BaseAddress = coordinator.App.WatchAddress() };

        var health = await http.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task Orleans_dashboard_is_served_behind_the_token_and_opened_with_it_once()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:MetricsPort"] = TestCoordinator.FreePort().ToString(),
            ["Coordinator:OrleansDashboard"] = "true",
            ["Coordinator:Token"] = Token,
        });
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = coordinator.App.WatchAddress() };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("orleans/GrainTypes")).StatusCode);
        var page = await http.GetAsync($"orleans/?token={Token}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // The page's own requests carry no token; the cookie set when it was opened lets them in.
        var grainTypes = await http.GetAsync("orleans/GrainTypes");
        Assert.Equal(HttpStatusCode.OK, grainTypes.StatusCode);
        Assert.Contains("FederationGrain", await grainTypes.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_and_round_traces_reach_an_otlp_collector()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<byte[]>>();
        await using var collector = await StartCollector(received);
        await using (var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:Otlp:Endpoint"] = collector.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }))
        {
            var clients = EndToEndFederationTests.StartClients(coordinator.Address, 3);
            await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
            await Task.WhenAll(clients);
        }

        // Stopping the coordinator flushes both exporters; protobuf keeps names and string attributes as UTF-8.
        string metrics = Encoding.UTF8.GetString(received.GetValueOrDefault("metrics")?.SelectMany(b => b).ToArray() ?? []);
        string traces = Encoding.UTF8.GetString(received.GetValueOrDefault("traces")?.SelectMany(b => b).ToArray() ?? []);
        Assert.Contains("poolcompress.rounds", metrics);
        Assert.Contains("poolcompress.uplink.bytes", metrics);
        foreach (string expected in (string[])["round", "select", "train", "push", "aggregate", "poolcompress.client.id", "client-0002", "poolcompress.uplink.bytes"])
            Assert.Contains(expected, traces);
    }

    /// <summary>A stand-in OTLP/HTTP collector that keeps every request body by signal (metrics, traces).</summary>
    private static async Task<WebApplication> StartCollector(ConcurrentDictionary<string, ConcurrentQueue<byte[]>> received)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.GetOrAdd(signal, _ => new ConcurrentQueue<byte[]>()).Enqueue(body.ToArray());
            return Results.Ok();
        });
        await collector.StartAsync();
        return collector;
    }
}
