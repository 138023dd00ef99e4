using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Services;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Builds the coordinator process: an ASP.NET Core gRPC endpoint and an Orleans silo in one Generic Host.
/// Configuration layers, later ones winning: appsettings.json, environment variables (POOLCOMPRESS_ prefix,
/// e.g. POOLCOMPRESS_Federation__Rounds), then <paramref name="overrides"/> (the command line).
/// </summary>
public static class CoordinatorHost
{
    public const string EnvironmentPrefix = "POOLCOMPRESS_";

    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(overrides);

        builder.Services.AddOptions<FederationSettings>().BindConfiguration(FederationSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FederationSettings>, FederationSettingsValidator>();
        builder.Services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>();
        var options = builder.Configuration.GetSection(CoordinatorOptions.SectionName).Get<CoordinatorOptions>() ?? new CoordinatorOptions();

        builder.UseOrleans(silo => SiloTopology.Configure(silo, options));

        builder.Services.AddSingleton<TrafficMeter>();
        builder.Services.AddSingleton<ClientTrafficLedger>();
        builder.Services.AddSingleton<ClientDataLedger>();
        builder.Services.AddSingleton<CoordinatorModel>();
        builder.Services.AddSingleton<DownlinkEncoder>();
        builder.Services.AddSingleton<GlobalModelPayloads>();
        builder.Services.AddSingleton<IModelStore>(_ => SiloTopology.CreateModelStore(options));
        builder.Services.AddHostedService<FederationBootstrapper>();

        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = PayloadChunks.MaxMessageBytes;
            grpc.MaxSendMessageSize = PayloadChunks.MaxMessageBytes;
            grpc.Interceptors.Add<TokenAuthInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var meter = kestrel.ApplicationServices.GetRequiredService<TrafficMeter>();
            kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseTrafficCounting(meter);
            });
        });

        var app = builder.Build();
        app.MapGrpcService<FederationService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>The address clients should dial, with the real port when port 0 was asked for.</summary>
    public static Uri ListeningAddress(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("the server exposes no addresses");
        return new Uri(addresses.Addresses.First());
    }
}
