using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Dashboard;
using PoolCompress.Coordinator.Services;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// The second listener (<see cref="CoordinatorOptions.MetricsPort"/>), HTTP/1.1 for Prometheus scrapers and browsers:
/// <c>/metrics</c> and <c>/dashboard</c>, served only there, so their bytes never reach the traffic counters of
/// the gRPC listener. With a federation token, both ask for it as the API does (<c>authorization: Bearer TOKEN</c>),
/// or, for a browser's address bar, as <c>?token=TOKEN</c>.
/// </summary>
internal static class WatchListener
{
    public static void Listen(KestrelServerOptions kestrel, IPAddress address, int port) =>
        kestrel.Listen(address, port, listen => listen.Protocols = HttpProtocols.Http1);

    public static void MapWatchEndpoints(this WebApplication app, int port, string? token)
    {
        var dashboard = app.Services.GetRequiredService<DashboardPage>();
        app.MapWhen(context => context.Connection.LocalPort == port, watch =>
        {
            watch.Use(next => context => Authorized(context, token) ? next(context) : Refuse(context));
            watch.UseOpenTelemetryPrometheusScrapingEndpoint();
            watch.Map("/dashboard", page => page.Run(dashboard.HandleAsync));
            watch.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
    }

    private static bool Authorized(HttpContext context, string? token) =>
        BearerToken.Admits(token, context.Request.Headers.Authorization.ToString())
        || (context.Request.Query.TryGetValue("token", out var query) && BearerToken.Admits(token, "Bearer " + query));

    private static Task Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsync("missing or wrong federation token (authorization: Bearer TOKEN, or ?token=TOKEN)");
    }
}
