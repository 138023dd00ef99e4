using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using StackExchange.Redis;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Clustering and storage as configuration: one localhost silo with memory storage by default; Redis membership
/// and grain storage for several silos outside Kubernetes; Kubernetes hosting inside it.
/// </summary>
internal static class SiloTopology
{
    /// <summary>
    /// Orleans' <see cref="ClusterMembershipOptions"/> (ProbeTimeout, NumMissedProbesLimit, ...): how fast a lost silo
    /// is declared dead, which bounds how long the other silos wait on its grains and partial sums. Unset keys keep
    /// Orleans' defaults, meant for production (a silo that misses 3 probes of about 5 s is suspected).
    /// </summary>
    public const string MembershipSection = CoordinatorOptions.SectionName + ":Membership";

    public static void Configure(ISiloBuilder silo, CoordinatorOptions options)
    {
        silo.Services.AddOptions<ClusterMembershipOptions>().Bind(silo.Configuration.GetSection(MembershipSection));
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        UseClustering(silo, options);
        if (options.Orleans.Tls.Enabled) SiloTls.Configure(silo, options.Orleans.Tls);
        // Orleans' default directory deactivates every grain whose entry lived on a silo that leaves, wherever the
        // grain runs: losing any silo restarted the federation grain and the survivors' partial sums, and so reran the
        // round. The strongly consistent directory hands a leaving silo's entries over to the survivors instead, and
        // never lets a joining silo open a second activation of a grain (docs/resilience.md#grain-directory).
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        UseGrainStorage(silo, options);
    }

    private static void UseClustering(ISiloBuilder silo, CoordinatorOptions options)
    {
        switch (options.Clustering)
        {
            case ClusteringModes.Redis:
                silo.UseRedisClustering(options.Redis!);
                var advertised = IPAddress.Parse(options.AdvertisedAddress ?? IPAddress.Loopback.ToString());
                silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedAddress is not null);
                break;
            case ClusteringModes.Kubernetes:
                // Names silos after pods and retires silos whose pods are gone; membership itself needs a table.
                silo.UseKubernetesHosting();
                if (!string.IsNullOrEmpty(options.Redis))
                    silo.UseRedisClustering(options.Redis);
                else
                    silo.UseDevelopmentClustering(new IPEndPoint(PodAddress(options), options.SiloPort));
                break;
            default:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
        }
    }

    private static void UseGrainStorage(ISiloBuilder silo, CoordinatorOptions options)
    {
        if (options.Storage == StorageModes.Redis)
            silo.AddRedisGrainStorage(FederationGrain.StorageName, redis => redis.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis!));
        else
            silo.AddMemoryGrainStorage(FederationGrain.StorageName);
    }

    /// <summary>A directory when one is given (a volume); otherwise Redis with Redis storage; otherwise memory.</summary>
    public static IModelStore CreateModelStore(CoordinatorOptions options) =>
        !string.IsNullOrEmpty(options.ModelStoreDir) ? new DirectoryModelStore(options.ModelStoreDir)
        : options.Storage == StorageModes.Redis ? new RedisModelStore(ConnectionMultiplexer.Connect(options.Redis!))
        : new InMemoryModelStore();

    private static IPAddress PodAddress(CoordinatorOptions options) =>
        IPAddress.Parse(options.AdvertisedAddress ?? Environment.GetEnvironmentVariable("POD_IP") ?? IPAddress.Loopback.ToString());
}
