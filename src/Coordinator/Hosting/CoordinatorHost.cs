using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.Coordinator.Services;
using PoolCompress.Coordinator.Strategies;
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

    /// <param name="services">Replaces or adds services after the standard ones (tests swap seams here).</param>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> overrides, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(overrides);
        var options = AddOptions(builder);
        builder.UseOrleans(silo =>
        {
            SiloTopology.Configure(silo, options);
            silo.AddPlacementDirector<NamedSiloPlacement, NamedSiloPlacementDirector>();
            if (options.OrleansDashboard) silo.AddDashboard();
        });
        AddFederationServices(builder.Services, options);
        builder.Services.AddCoordinatorTelemetry(builder.Configuration, options);
        AddGrpcApi(builder.Services, options);
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, options));

        services?.Invoke(builder.Services);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CoordinatorHost).FullName!);
        foreach (string warning in ExposureWarnings.For(options, app.Services.GetRequiredService<FederationMembership>())) logger.LogWarning("Insecure: {Warning}", warning);
        MapEndpoints(app, options);
        return app;
    }

    /// <summary>Binds and validates both option sections, and returns the coordinator's, checked already.</summary>
    private static CoordinatorOptions AddOptions(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FederationSettings>().BindConfiguration(FederationSettings.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FederationSettings>, FederationSettingsValidator>();
        builder.Services.AddOptions<CoordinatorOptions>().BindConfiguration(CoordinatorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CoordinatorOptions>, CoordinatorOptionsValidator>();
        var options = builder.Configuration.GetSection(CoordinatorOptions.SectionName).Get<CoordinatorOptions>() ?? new CoordinatorOptions();
        // Listeners are set up from these options before the host validates them, and Kestrel's own error for a bad
        // port says nothing about which option was wrong.
        if (new CoordinatorOptionsValidator().Validate(null, options) is { Failed: true } invalid)
            throw new OptionsValidationException(CoordinatorOptions.SectionName, typeof(CoordinatorOptions), invalid.Failures);
        return options;
    }

    private static void AddFederationServices(IServiceCollection services, CoordinatorOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrafficMeter>();
        services.AddSingleton<ClientTrafficLedger>();
        services.AddSingleton<ClientDataLedger>();
        services.AddSingleton<CoordinatorModel>();
        services.AddSingleton(provider => FederatedStrategies.Create(provider.GetRequiredService<IOptions<FederationSettings>>().Value.Strategy));
        services.AddSingleton<IGlobalModelEvaluator>(provider => provider.GetRequiredService<CoordinatorModel>());
        services.AddSingleton<DownlinkEncoder>();
        services.AddSingleton<DownlinkSteps>();
        services.AddSingleton<GlobalModelPayloads>();
        services.AddSingleton<SecureSupports>();
        services.AddSingleton<IModelStore>(_ => SiloTopology.CreateModelStore(options));
        services.AddHostedService<FederationBootstrapper>();
        services.AddSingleton<SiloTrafficWitness>();
        services.AddHostedService<SiloTrafficReporter>();
    }

    /// <summary>The gRPC service, what it delegates to, and the interceptors every call passes, in order.</summary>
    private static void AddGrpcApi(IServiceCollection services, CoordinatorOptions options)
    {
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = PayloadChunks.MaxMessageBytes;
            grpc.MaxSendMessageSize = PayloadChunks.MaxMessageBytes;
            grpc.Interceptors.Add<AuthenticationInterceptor>();
            grpc.Interceptors.Add<ClientIdInterceptor>();
        });
        services.AddSingleton(provider => CoordinatorIdentity.Membership(options, provider.GetRequiredService<IOptions<FederationSettings>>().Value));
        services.AddSingleton(provider => CoordinatorIdentity.Authenticator(options, provider.GetRequiredService<FederationMembership>()));
        services.AddGrpcHealthChecks();
        services.AddSingleton<FederationGrains>();
        services.AddSingleton<TaskSender>();
        services.AddSingleton<UploadSlots>();
        services.AddSingleton<PrunedVersions>();
        services.AddSingleton(provider => UpdateReceiver.For(
            provider.GetRequiredService<CoordinatorModel>(), provider.GetRequiredService<IOptions<CoordinatorOptions>>().Value,
            provider.GetRequiredService<PrunedVersions>()));
        services.AddSingleton<UpdateIntake>();
        services.AddSingleton<SecureStages>();
    }

    private static void Listen(KestrelServerOptions kestrel, CoordinatorOptions options)
    {
        var meter = kestrel.ApplicationServices.GetRequiredService<TrafficMeter>();
        // Explicit, so that what one peer can hold open does not depend on Kestrel's defaults.
        kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxStreamsPerConnection;
        kestrel.Listen(IPAddress.Parse(options.ListenAddress), options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseTrafficCounting(meter);
            if (options.Tls.Enabled) CoordinatorIdentity.UseTls(listen, options.Tls);
        });
        if (options.MetricsPort is { } metricsPort) WatchListener.Listen(kestrel, IPAddress.Parse(options.ListenAddress), metricsPort);
    }

    /// <summary>Middleware before gRPC (traffic marks, then the request guard), the services, and the watch endpoints.</summary>
    private static void MapEndpoints(WebApplication app, CoordinatorOptions options)
    {
        app.UseMiddleware<CallTrafficMarks>();
        app.UseMiddleware<RequestMessageGuard>(PayloadChunks.MaxMessageBytes);
        app.MapGrpcService<FederationService>();
        app.MapGrpcHealthChecksService();
        if (options.MetricsPort is { } watchPort) app.MapWatchEndpoints(watchPort, options.Token, options.OrleansDashboard);
    }

    /// <summary>The address clients should dial, with the real port when port 0 was asked for.</summary>
    public static Uri ListeningAddress(this WebApplication app) => app.Addresses().First(address => address.Port != app.MetricsPort());

    /// <summary>The HTTP/1.1 address of /metrics and /dashboard, or null when there is no such listener.</summary>
    public static Uri? WatchAddress(this WebApplication app) => app.Addresses().FirstOrDefault(address => address.Port == app.MetricsPort());

    private static int? MetricsPort(this WebApplication app) => app.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.MetricsPort;

    private static IEnumerable<Uri> Addresses(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("the server exposes no addresses");
        return addresses.Addresses.Select(address => new Uri(address));
    }
}
