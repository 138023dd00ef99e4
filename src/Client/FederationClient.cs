using System.Numerics.Tensors;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// One federated client: joins, then loops fetching its task, training on its own shard and pushing its
/// compressed update (local weights minus the global weights it started from) until the coordinator says done.
/// Asked to evaluate, it scores the global model on its <paramref name="validation"/> data and reports how it did.
/// </summary>
public sealed class FederationClient(
    ClientOptions options, Dataset shard, TrainingGate gate, ILogger<FederationClient> logger, IClientStateStore? state = null,
    IUpdateFilter? updateFilter = null, Dataset? validation = null)
{
    private readonly IClientStateStore _state = state ?? new ResidentClientState();
    private readonly Metadata _headers = string.IsNullOrEmpty(options.Token) ? [] : new Metadata { { "authorization", "Bearer " + options.Token } };
    private readonly ReconnectBackoff _backoff = new(options);

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
        var rpc = new V1.Federation.FederationClient(channel);
        ClientPeakMemory.ReportFallback(logger);
        var config = await JoinAsync(rpc, cancellationToken);
        var data = DataAgreement.Align(shard, config);
        var validationData = validation is null ? null : DataAgreement.Align(validation, config);
        var blueprint = await gate.BlueprintOf(config, cancellationToken);
        var layout = blueprint.Layout;
        var codec = CodecSpec.Parse(config.Codec);
        // Held between rounds only when the state store says so; otherwise a client holds a model only while active.
        var kept = _state.HoldsGlobalModel ? new HeldModel(layout, blueprint.InitialWeights.ToArray()) : null;
        var keptUpdate = _state.HoldsGlobalModel ? new float[layout.TotalLength] : null;
        int trained = 0, rejected = 0, wholeModels = 0, differences = 0;
        long bytesSent = 0;
        int countedRound = 0;

        while (true)
        {
            var (header, payload, active) = await FetchTaskAsync(rpc, layout, kept, cancellationToken);
            if (header is null)
            {
                config = await JoinAsync(rpc, cancellationToken);
                continue;
            }
            if (header.Action == TaskAction.Done) break;
            if (header.Action is not (TaskAction.Train or TaskAction.Evaluate))
            {
                await Task.Delay(Math.Max(header.RetryAfterMs, 10), cancellationToken);
                continue;
            }

            UnacknowledgedUpdate sent;
            using (active)
            {
                var held = kept ?? HeldModel.Empty(layout);
                if (!held.TryApply(header, payload))
                {
                    logger.LogWarning("{Client}: the differences to model version {Version} did not fit the model held; fetching the whole model",
                        options.ClientId, header.ModelVersion);
                    continue;
                }
                if (header.BaseModelVersion == 0) wholeModels++;
                else differences++;
                if (header.Action == TaskAction.Evaluate)
                {
                    await EvaluateAsync(rpc, header, config, held.Weights, validationData, cancellationToken);
                    continue;
                }
                if (_state.Unacknowledged(options.ClientId) is { } unacknowledged && unacknowledged.IsAskedAgainBy(header))
                {
                    sent = unacknowledged;
                    logger.LogInformation("{Client}: round {Round} asked for again on model version {Version}; resending the update already sent",
                        options.ClientId, header.Round, header.ModelVersion);
                }
                else
                {
                    var global = held.Weights;
                    var update = keptUpdate ?? new float[layout.TotalLength];
                    long seed = TrainingSeed.Derive(config.Seed, options.ClientId, header.Round);
                    logger.LogInformation("{Client}: training round {Round} on model version {Version}", options.ClientId, header.Round, header.ModelVersion);
                    var (result, trainingGrowth) = await gate.RunAsync(slot => ClientPeakMemory.WhileTraining(() =>
                    {
                        var model = slot.ModelFor(config);
                        model.SetWeights(global);
                        var training = LocalTrainer.Train(model, data,
                            FitConfig.Apply(new TrainingOptions(config.LocalEpochs, config.BatchSize, config.LearningRate, seed, config.Momentum, config.ProximalMu), header.FitConfig), cancellationToken);
                        model.GetWeights(update);
                        return training;
                    }), cancellationToken);
                    TensorPrimitives.Subtract(update, global, update);
                    updateFilter?.Apply(update, global, header.Round);
                    var encoder = _state.Restore(options.ClientId, () => new UpdateEncoder(layout, codec));
                    byte[] encoded = encoder.Encode(update, unchecked((ulong)seed));
                    sent = new UnacknowledgedUpdate(new UpdateHeader
                    {
                        ClientId = options.ClientId,
                        Round = header.Round,
                        BaseModelVersion = header.ModelVersion,
                        SampleCount = shard.Count,
                        PayloadBytes = encoded.Length,
                        TrainLoss = (float)result.MeanLoss,
                        TrainSeconds = result.Seconds,
                        PeakMemoryBytes = ClientPeakMemory.Of(trainingGrowth, data, layout.TotalLength, encoder, encoded.Length),
                        ProcessPeakMemoryBytes = ClientPeakMemory.OfProcess(),
                        LayoutFingerprint = layout.Fingerprint,
                    }, encoded);
                    _state.Keep(options.ClientId, encoder, sent);
                }
            }

            if (!await PushAsync(rpc, sent.Header, sent.Payload, cancellationToken))
            {
                rejected++;
            }
            else if (sent.Header.Round != countedRound)
            {
                // A resent update is one round trained, however often it had to travel.
                countedRound = sent.Header.Round;
                trained++;
                bytesSent += sent.Payload.Length;
            }
        }
        logger.LogInformation("{Client} finished: {Rounds} rounds trained, {Bytes} update bytes", options.ClientId, trained, bytesSent);
        return new ClientRunSummary(options.ClientId, trained, bytesSent, rejected, wholeModels, differences);
    }

    /// <summary>Scores the global model on the validation data and reports it; a client without validation data reports 0 examples.</summary>
    private async Task EvaluateAsync(V1.Federation.FederationClient rpc, TaskHeader header, FederationConfig config, float[] global, Dataset? data,
        CancellationToken cancellationToken)
    {
        var report = new EvaluationReport { ClientId = options.ClientId, Round = header.Round, ModelVersion = header.ModelVersion };
        if (data is { Count: > 0 })
        {
            var result = await gate.RunAsync(slot =>
            {
                var model = slot.ModelFor(config);
                model.SetWeights(global);
                return Evaluator.Evaluate(model, data);
            }, cancellationToken);
            report.Examples = result.Samples;
            report.Loss = result.Loss;
            report.Accuracy = result.Accuracy;
            report.MacroF1 = result.MacroF1;
            report.PerClassRecall.Add(result.PerClassRecall);
            report.ClassCounts.Add(result.ClassCounts ?? []);
            if (result.Auc is { } auc) report.Auc = auc;
            logger.LogInformation("{Client}: model version {Version} scores {Accuracy:F4} on {Examples} validation samples",
                options.ClientId, header.ModelVersion, result.Accuracy, result.Samples);
        }
        await WithReconnect(async () =>
        {
            try
            {
                await rpc.ReportEvaluationAsync(report, _headers, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.AlreadyExists)
            {
                logger.LogWarning("{Client}: evaluation of round {Round} refused: {Reason}", options.ClientId, header.Round, e.Status.Detail);
            }
            return true;
        }, cancellationToken);
    }

    private async Task<FederationConfig> JoinAsync(V1.Federation.FederationClient rpc, CancellationToken cancellationToken)
    {
        var request = new JoinRequest { ClientId = options.ClientId, SampleCount = shard.Count, ProtocolVersion = 1, ValidationCount = options.ValidationSamples };
        request.Codecs.Add(CodecSpec.StageNames);
        DataAgreement.Describe(shard, request);
        var reply = await WithReconnect(() => rpc.JoinAsync(request, _headers, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        return reply.Config;
    }

    /// <summary>
    /// The next task and its model payload; a null header means the coordinator no longer knows this client. A
    /// training task holds a place among the process's active clients (disposed when its update is encoded); the
    /// model is read only once the place is free, so waiting clients leave it in flow-controlled socket buffers.
    /// A client that holds no model between rounds (<paramref name="held"/> null) asks for the whole model.
    /// </summary>
    private Task<(TaskHeader? Header, byte[] Payload, IDisposable? Active)> FetchTaskAsync(
        V1.Federation.FederationClient rpc, ModelLayout layout, HeldModel? held, CancellationToken cancellationToken) =>
        WithReconnect(async () =>
        {
            try
            {
                using var call = rpc.GetTask(new TaskRequest
                {
                    ClientId = options.ClientId, KnownModelVersion = held?.Version ?? 0, KnownModelHash = held?.Hash ?? 0, LayoutFingerprint = layout.Fingerprint,
                }, _headers, cancellationToken: cancellationToken);
                var stream = call.ResponseStream;
                if (!await stream.MoveNext(cancellationToken) || stream.Current.PartCase != TaskMessage.PartOneofCase.Header)
                    throw new InvalidDataException("the coordinator's task stream did not start with a TaskHeader");
                var header = stream.Current.Header;
                if (header.Action is not (TaskAction.Train or TaskAction.Evaluate)) return (header, Array.Empty<byte>(), (IDisposable?)null);
                var active = await gate.EnterActiveAsync(cancellationToken);
                try
                {
                    // A client that already holds the task's model gets no payload at all.
                    if (header.PayloadBytes == 0) return (header, Array.Empty<byte>(), active);
                    var assembler = new PayloadAssembler(header.PayloadBytes, layout.MaxPayloadBytes);
                    while (!assembler.IsComplete && await stream.MoveNext(cancellationToken))
                        assembler.Append(stream.Current.Chunk);
                    return (header, assembler.GetPayload(), active);
                }
                catch
                {
                    active.Dispose();
                    throw;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                logger.LogInformation("{Client}: coordinator asks to join again ({Reason})", options.ClientId, e.Status.Detail);
                return ((TaskHeader?)null, Array.Empty<byte>(), (IDisposable?)null);
            }
        }, cancellationToken);

    /// <summary>Uploads one update; false when the coordinator refused it (the client then moves on to its next task).</summary>
    private Task<bool> PushAsync(V1.Federation.FederationClient rpc, UpdateHeader header, byte[] payload, CancellationToken cancellationToken) =>
        WithReconnect(async () =>
        {
            try
            {
                using var call = rpc.PushUpdate(_headers, cancellationToken: cancellationToken);
                try
                {
                    await call.RequestStream.WriteAsync(new UpdateMessage { Header = header }, cancellationToken);
                    foreach (var chunk in PayloadChunks.Split(payload))
                        await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = chunk }, cancellationToken);
                    await call.RequestStream.CompleteAsync();
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // The coordinator answered before reading the whole upload (a refusal), or its silo went away mid-upload
                    // (IOException: the request was aborted); the call's status says which.
                }
                await call.ResponseAsync;
                return true;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.AlreadyExists)
            {
                logger.LogWarning("{Client}: update for round {Round} refused: {Reason}", options.ClientId, header.Round, e.Status.Detail);
                return false;
            }
        }, cancellationToken);

    private async Task<T> WithReconnect<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await call();
                _backoff.Reset();
                return result;
            }
            catch (RpcException e) when (ReconnectBackoff.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug("{Client}: coordinator unreachable ({Status}); retrying", options.ClientId, e.StatusCode);
                await _backoff.WaitAsync(e, cancellationToken);
            }
        }
    }
}
