using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// One federated client: joins, then loops fetching its task, training on its own shard and pushing its
/// compressed update (local weights minus the global weights it started from) until the coordinator says done.
/// Asked to evaluate, it scores the global model on its <paramref name="validation"/> data and reports how it did.
/// The loop (<see cref="ClientRun"/>) only moves models and updates; what is done with them is the
/// <see cref="ClientApp"/>'s fit and evaluate, and the update passes <paramref name="updateFilter"/> and the encoder
/// as links of one <see cref="UpdateChain"/>.
/// </summary>
public sealed class FederationClient(
    ClientOptions options, Dataset shard, TrainingGate gate, ILogger<FederationClient> logger, IClientStateStore? state = null,
    IUpdateFilter? updateFilter = null, Dataset? validation = null)
{
    private readonly IClientStateStore _state = state ?? new ResidentClientState();

    /// <summary>A channel to the coordinator; <paramref name="handler"/> may shape the connection (e.g. an emulated link).</summary>
    public static GrpcChannel CreateChannel(Uri coordinator, HttpMessageHandler? handler = null) => CreateChannel([coordinator], handler);

    /// <summary>
    /// A channel to one coordinator URL, or to several silos of one coordinator. With several, grpc-dotnet's own
    /// pick-first balancing over the static list sends every call to the first silo that accepts a connection and,
    /// when that connection is lost, to the next one that does. Pick-first rather than round-robin keeps a client
    /// on one connection, which is where its traffic is measured; clients spread over silos by their list's order.
    /// </summary>
    public static GrpcChannel CreateChannel(IReadOnlyList<Uri> coordinators, HttpMessageHandler? handler = null)
    {
        var options = new GrpcChannelOptions
        {
            MaxReceiveMessageSize = PayloadChunks.MaxMessageBytes,
            MaxSendMessageSize = PayloadChunks.MaxMessageBytes,
            HttpHandler = new LeanRequestHeaders(handler ?? new SocketsHttpHandler { EnableMultipleHttp2Connections = true }),
            DisposeHttpClient = true,
        };
        if (coordinators.Count == 1) return GrpcChannel.ForAddress(coordinators[0], options);

        var problems = CoordinatorAddresses.Problems(coordinators);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(coordinators));
        var silos = coordinators.Select(u => new BalancerAddress(u.DnsSafeHost, u.Port)).ToArray();
        options.ServiceProvider = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => silos))
            .BuildServiceProvider();
        options.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } };
        options.Credentials = coordinators[0].Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        return GrpcChannel.ForAddress("static:///coordinator", options);
    }

    public async Task<ClientRunSummary> RunAsync(GrpcChannel channel, CancellationToken cancellationToken = default)
    {
        var link = new CoordinatorLink(channel, options, gate, logger);
        ClientPeakMemory.ReportFallback(logger);
        var config = await link.JoinAsync(shard, cancellationToken);
        bool sharesKnowledge = config.ClientModels.Length > 0;
        var app = sharesKnowledge ? await KnowledgeAppFor(config, cancellationToken) : await WeightsAppFor(config, cancellationToken);
        var blueprint = sharesKnowledge ? ModelBlueprint.ConsensusOf(config) : await gate.BlueprintOf(config, cancellationToken);
        // Each round's soft labels are of other transfer samples: what a codec dropped from one round is no error to feed into the next.
        var chain = new UpdateChain(options.ClientId, updateFilter is null ? [] : [updateFilter], _state, blueprint.Layout, CodecSpec.Parse(config.Codec),
            ClientRun.PruningOf(config), sharesKnowledge ? new UpdateEncoderOptions { ErrorFeedback = false } : null);
        var secure = new SecureUpload(new SecureLink(link), blueprint.Layout.TotalLength, logger);
        var tally = await new ClientRun(options, shard, link, app, chain, _state, blueprint, config, logger, secure).RunAsync(cancellationToken);
        logger.LogInformation("{Client} finished: {Rounds} rounds trained, {Bytes} update bytes", options.ClientId, tally.RoundsTrained, tally.BytesSent);
        return tally.Summary();
    }

    private async Task<IClientApp> WeightsAppFor(FederationConfig config, CancellationToken cancellationToken)
    {
        var teacher = await gate.TeacherFor(config, cancellationToken);
        return new ClientApp(gate, DataAgreement.Align(shard, config), AlignedValidation(config), teacher, ClientRun.PruningOf(config));
    }

    private async Task<IClientApp> KnowledgeAppFor(FederationConfig config, CancellationToken cancellationToken) =>
        await KnowledgeApp.CreateAsync(options.ClientId, gate, DataAgreement.Align(shard, config), AlignedValidation(config), config, cancellationToken);

    private Dataset? AlignedValidation(FederationConfig config) => validation is null ? null : DataAgreement.Align(validation, config);
}
