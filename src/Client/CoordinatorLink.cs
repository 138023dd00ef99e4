using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The client's calls to its coordinator: joining, fetching a task with its model payload, uploading an update and
/// reporting an evaluation. Every call retries across transient failures (a silo restarting, a lost connection)
/// with <see cref="ReconnectBackoff"/>, but not a coordinator certificate the client does not trust; refusals come back as
/// values, not exceptions.
/// </summary>
internal sealed class CoordinatorLink(GrpcChannel channel, ClientOptions options, TrainingGate gate, ILogger logger)
{
    private readonly V1.Federation.FederationClient _rpc = new(channel);
    private readonly Metadata _headers = string.IsNullOrEmpty(options.Token) ? [] : new Metadata { { "authorization", "Bearer " + options.Token } };
    private readonly ReconnectBackoff _backoff = new(options);

    /// <summary>The calls' stub and metadata, for the secure stages (<see cref="SecureLink"/>), which do not reconnect: a stage cannot be answered twice.</summary>
    internal V1.Federation.FederationClient Rpc => _rpc;
    internal Metadata Headers => _headers;

    public async Task<FederationConfig> JoinAsync(Dataset shard, CancellationToken cancellationToken)
    {
        var request = new JoinRequest { ClientId = options.ClientId, SampleCount = shard.Count, ProtocolVersion = 1, ValidationCount = options.ValidationSamples };
        request.Codecs.Add(CodecSpec.StageNames);
        DataAgreement.Describe(shard, request);
        var reply = await WithReconnect(() => _rpc.JoinAsync(request, _headers, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
        return reply.Config;
    }

    /// <summary>
    /// The next task and its model payload; a null header means the coordinator no longer knows this client. A
    /// training task holds a place among the process's active clients (disposed when its update is encoded); the
    /// model is read only once the place is free, so waiting clients leave it in flow-controlled socket buffers.
    /// <paramref name="known"/> is the model the client holds (version 0: none), from which the payload is to bring it
    /// to the task's model.
    /// </summary>
    public Task<(TaskHeader? Header, byte[] Payload, IDisposable? Active)> FetchTaskAsync(
        ModelLayout layout, (long Version, ulong Hash) known, CancellationToken cancellationToken) =>
        WithReconnect(async () =>
        {
            try
            {
                using var call = _rpc.GetTask(new TaskRequest
                {
                    ClientId = options.ClientId, KnownModelVersion = known.Version, KnownModelHash = known.Hash, LayoutFingerprint = layout.Fingerprint,
                }, _headers, cancellationToken: cancellationToken);
                return await ReadTaskAsync(call.ResponseStream, layout, cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                logger.LogInformation("{Client}: coordinator asks to join again ({Reason})", options.ClientId, e.Status.Detail);
                return ((TaskHeader?)null, Array.Empty<byte>(), (IDisposable?)null);
            }
        }, cancellationToken);

    private async Task<(TaskHeader? Header, byte[] Payload, IDisposable? Active)> ReadTaskAsync(
        IAsyncStreamReader<TaskMessage> stream, ModelLayout layout, CancellationToken cancellationToken)
    {
        if (!await stream.MoveNext(cancellationToken) || stream.Current.PartCase != TaskMessage.PartOneofCase.Header)
            throw new InvalidDataException("the coordinator's task stream did not start with a TaskHeader");
        var header = stream.Current.Header;
        if (header.Action is not (TaskAction.Train or TaskAction.Evaluate)) return (header, Array.Empty<byte>(), null);
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

    /// <summary>Uploads one update; false when the coordinator refused it (the client then moves on to its next task).</summary>
    public Task<bool> PushAsync(UpdateHeader header, byte[] payload, CancellationToken cancellationToken) =>
        WithReconnect(async () =>
        {
            try
            {
                using var call = _rpc.PushUpdate(_headers, cancellationToken: cancellationToken);
                await SendAsync(call.RequestStream, header, payload, cancellationToken);
                await call.ResponseAsync;
                return true;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.AlreadyExists)
            {
                logger.LogWarning("{Client}: update for round {Round} refused: {Reason}", options.ClientId, header.Round, e.Status.Detail);
                return false;
            }
        }, cancellationToken);

    internal static async Task SendAsync(IClientStreamWriter<UpdateMessage> requests, UpdateHeader header, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await requests.WriteAsync(new UpdateMessage { Header = header }, cancellationToken);
            foreach (var chunk in PayloadChunks.Split(payload))
                await requests.WriteAsync(new UpdateMessage { Chunk = chunk }, cancellationToken);
            await requests.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The coordinator answered before reading the whole upload (a refusal), or its silo went away mid-upload
            // (IOException: the request was aborted); the call's status says which.
        }
    }

    public Task ReportEvaluationAsync(EvaluationReport report, CancellationToken cancellationToken) =>
        WithReconnect(async () =>
        {
            try
            {
                await _rpc.ReportEvaluationAsync(report, _headers, cancellationToken: cancellationToken);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.AlreadyExists)
            {
                logger.LogWarning("{Client}: evaluation of round {Round} refused: {Reason}", options.ClientId, report.Round, e.Status.Detail);
            }
            return true;
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
            catch (RpcException e) when (CoordinatorNotTrustedException.BehindFailed(e) is { } distrust)
            {
                throw distrust;
            }
            catch (RpcException e) when (ReconnectBackoff.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogDebug("{Client}: coordinator unreachable ({Status}); retrying", options.ClientId, e.StatusCode);
                await _backoff.WaitAsync(e, cancellationToken);
            }
        }
    }
}
