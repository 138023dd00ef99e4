using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Dashboard;

/// <summary>
/// The live dashboard: <c>/dashboard</c> is one static page (embedded, no build chain) that polls
/// <c>/dashboard/state</c> twice a second and draws what it gets.
/// </summary>
public sealed class DashboardPage(IGrainFactory grains, IOptions<FederationSettings> settings, UploadsInFlight uploads)
{
    private const string ResourceName = "PoolCompress.Coordinator.Dashboard.dashboard.html";
    private static readonly Lazy<byte[]> Html = new(() =>
    {
        using var resource = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the dashboard page ({ResourceName}) is not embedded in the assembly");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    });

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        switch (context.Request.Path.Value)
        {
            case "" or "/":
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.Body.WriteAsync(Html.Value, context.RequestAborted);
                break;
            case "/state":
                await context.Response.WriteAsJsonAsync(await ReadAsync(), context.RequestAborted);
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                break;
        }
    }

    public async Task<DashboardSnapshot> ReadAsync()
    {
        var federation = grains.GetGrain<IFederationGrain>(settings.Value.FederationId);
        var status = await federation.GetStatus();
        var view = await federation.GetRoundView();
        return DashboardSnapshot.From(status, view, uploads.Clients);
    }
}
