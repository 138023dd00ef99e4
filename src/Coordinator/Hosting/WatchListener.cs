using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;
using PoolCompress.Coordinator.Dashboard;
using PoolCompress.Coordinator.Services;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// The second listener (<see cref="CoordinatorOptions.MetricsPort"/>), HTTP/1.1 for Prometheus scrapers and browsers:
/// <c>/metrics</c>, <c>/dashboard</c>, <c>/healthz</c> and, when enabled, Orleans' dashboard at <c>/orleans/</c>, served only there, so
/// their bytes never reach the traffic counters of the gRPC listener. With a federation token, every request on it but /healthz
/// must carry the token as the API does (<c>authorization: Bearer TOKEN</c>) or, from a browser's address bar, as
/// <c>?token=TOKEN</c>; a page opened that way gets it as a cookie, which its own requests then carry.
/// </summary>
internal static class WatchListener
{
    private const string TokenCookie = "poolcompress-token";

    public static void Listen(KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);

    public static void MapWatchEndpoints(this WebApplication app, int port, string? token, bool orleansDashboard)
    {
        var dashboard = app.Services.GetRequiredService<DashboardPage>();
        app.UseWhen(context => context.Connection.LocalPort == port, watch =>
        {
            // Kubelet's probes, where they cannot speak gRPC over TLS: no token, and nothing but the health status.
            watch.UseHealthChecks("/healthz");
            watch.Use(next => context => Admit(context, token) ? next(context) : Refuse(context));
            watch.UseOpenTelemetryPrometheusScrapingEndpoint();
            watch.Map("/dashboard", page => page.Run(dashboard.HandleAsync));
        });
        if (orleansDashboard) app.MapOrleansDashboard("/orleans").RequireHost($"*:{port}");
    }

    private static bool Admit(HttpContext context, string? token)
    {
        if (BearerToken.Admits(token, context.Request.Headers.Authorization.ToString())
            || BearerToken.Admits(token, "Bearer " + context.Request.Cookies[TokenCookie]))
            return true;
        if (!context.Request.Query.TryGetValue("token", out var query) || !BearerToken.Admits(token, "Bearer " + query)) return false;
        context.Response.Cookies.Append(TokenCookie, query.ToString(), new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict });
        return true;
    }

    private static Task Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsync("missing or wrong federation token (authorization: Bearer TOKEN, or ?token=TOKEN)");
    }
}
