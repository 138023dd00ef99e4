using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// The gRPC face of a federation, on every silo. It stays thin: it validates what arrives (ids, chunks, checksums,
/// the update's wire format and shapes), asks the federation grain, which owns all state, whether to take an
/// update, and adds taken updates to this silo's partial sum.
/// </summary>
public sealed class FederationService(
    IGrainFactory grains,
    ILocalSiloDetails localSilo,
    GlobalModelPayloads payloads,
    CoordinatorModel model,
    ClientTrafficLedger ledger,
    UploadsInFlight uploadsInFlight,
    TrafficMeter meter,
    UploadSlots uploadSlots,
    ClientDataLedger clientData,
    IOptions<FederationSettings> settings,
    FederatedStrategy strategy,
    IOptions<CoordinatorOptions> options,
    ILogger<FederationService> logger) : V1.Federation.FederationBase
{
    private const uint ProtocolVersion = 1;

    private IFederationGrain Federation => grains.GetGrain<IFederationGrain>(settings.Value.FederationId);

    public override async Task<JoinReply> Join(JoinRequest request, ServerCallContext context)
    {
        string clientId = ClientIds.Require(request.ClientId, context);
        if (request.ProtocolVersion != ProtocolVersion)
            throw Fail(StatusCode.FailedPrecondition, $"protocol_version {request.ProtocolVersion} is not supported; this coordinator speaks {ProtocolVersion}");
        if (request.SampleCount <= 0)
            throw Fail(StatusCode.InvalidArgument, $"sample_count must be positive, got {request.SampleCount}");
        if (request.ValidationCount < 0)
            throw Fail(StatusCode.InvalidArgument, $"validation_count must not be negative, got {request.ValidationCount}");
        var mismatch = request.InputShape.Count + request.ClassNames.Count == 0 ? [] : model.DataSpec.Differences(request.InputShape, request.ClassNames);
        if (mismatch.Count > 0)
            throw Fail(StatusCode.FailedPrecondition, $"client '{clientId}' may not join: its data does not fit the federation: {string.Join("; ", mismatch)}");
        var s = await Federation.Join(clientId, request.SampleCount);
        clientData.Record(clientId, request.SampleCount, request.ValidationCount);
        return new JoinReply
        {
            FederationId = s.FederationId,
            Config = FederationConfigs.For(s, model, strategy),
        };
    }

    public override async Task GetTask(V1.TaskRequest request, IServerStreamWriter<TaskMessage> responseStream, ServerCallContext context)
    {
        string clientId = ClientIds.Require(request.ClientId, context);
        LayoutFingerprints.Require(request.LayoutFingerprint, clientId, model);
        var grain = Federation;
        var waitUntil = DateTime.UtcNow + options.Value.LongPoll;
        TaskAssignment assignment;
        while (true)
        {
            assignment = await grain.GetAssignment(clientId);
            var remaining = waitUntil - DateTime.UtcNow;
            if (assignment.Kind != AssignmentKind.Wait || remaining <= TimeSpan.Zero) break;
            try
            {
                await grain.WaitForChange(assignment.StateVersion, remaining).WaitAsync(context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // The client gave up its long poll (it is shutting down or moving to another silo): nobody to answer.
                return;
            }
        }

        switch (assignment.Kind)
        {
            case AssignmentKind.NotJoined:
                throw Fail(StatusCode.FailedPrecondition, $"client '{clientId}' has not joined this federation; call Join first");
            case AssignmentKind.Train:
                var payload = await payloads.GetAsync(assignment.ModelVersion, request.KnownModelVersion, request.KnownModelHash);
                ledger.Begin(clientId, assignment.Round, context);
                await SendModel(TaskAction.Train, assignment, payload, responseStream);
                break;
            case AssignmentKind.Evaluate:
                await SendModel(TaskAction.Evaluate, assignment,
                    await payloads.GetAsync(assignment.ModelVersion, request.KnownModelVersion, request.KnownModelHash), responseStream);
                break;
            case AssignmentKind.Done:
                await responseStream.WriteAsync(Header(TaskAction.Done, assignment));
                break;
            default:
                await responseStream.WriteAsync(Header(TaskAction.Wait, assignment));
                break;
        }
    }

    /// <summary>The task's header, then its model payload in chunks.</summary>
    private static async Task SendModel(TaskAction action, TaskAssignment assignment, ModelPayload payload, IServerStreamWriter<TaskMessage> responseStream)
    {
        await responseStream.WriteAsync(Header(action, assignment, payload));
        foreach (var chunk in PayloadChunks.Split(payload.Bytes))
            await responseStream.WriteAsync(new TaskMessage { Chunk = chunk });
    }

    public override async Task<EvaluationReceipt> ReportEvaluation(EvaluationReport request, ServerCallContext context)
    {
        string clientId = ClientIds.Require(request.ClientId, context);
        ClientEvaluation evaluation;
        try
        {
            evaluation = EvaluationReports.Read(request, clientId, model.DataSpec.Classes.Count, settings.Value.MaxSampleCount);
        }
        catch (InvalidDataException e)
        {
            await Federation.RejectEvaluation(clientId, request.Round, request.ModelVersion, e.Message);
            throw Fail(StatusCode.InvalidArgument, $"evaluation rejected: {e.Message}");
        }
        var verdict = await Federation.ReportEvaluation(request.Round, request.ModelVersion, evaluation);
        return verdict switch
        {
            UpdateVerdict.Accepted => new EvaluationReceipt { Accepted = true, Message = $"evaluation for round {request.Round} accepted" },
            UpdateVerdict.NotSelected => throw Fail(StatusCode.FailedPrecondition, $"client '{clientId}' is not asked to evaluate round {request.Round}"),
            UpdateVerdict.Duplicate => throw Fail(StatusCode.AlreadyExists, $"client '{clientId}' already reported its evaluation of round {request.Round}"),
            _ => throw Fail(StatusCode.FailedPrecondition,
                $"round {request.Round}'s model version {request.ModelVersion} is not being evaluated; fetch a new task"),
        };
    }

    public override async Task<UpdateReceipt> PushUpdate(IAsyncStreamReader<UpdateMessage> requestStream, ServerCallContext context)
    {
        // A refused upload's bytes crossed the socket, but they are not the round's uplink.
        var refused = new RefusedCallTraffic(meter, context);
        try
        {
            return await ReceiveAndAdmit(requestStream, context, refused);
        }
        catch (RpcException)
        {
            refused.Count();
            throw;
        }
    }

    private async Task<UpdateReceipt> ReceiveAndAdmit(IAsyncStreamReader<UpdateMessage> requestStream, ServerCallContext context, RefusedCallTraffic refused)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(options.Value.UploadGrace);
        bool started;
        try
        {
            started = await NextMessage(requestStream, deadline.Token);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw Fail(StatusCode.ResourceExhausted, $"no UpdateHeader arrived within {options.Value.UploadGrace.TotalSeconds:F0} s");
        }
        catch (InvalidDataException e)
        {
            throw Fail(StatusCode.InvalidArgument, e.Message);
        }
        if (!started || requestStream.Current.PartCase != UpdateMessage.PartOneofCase.Header)
            throw Fail(StatusCode.InvalidArgument, "an update stream must start with an UpdateHeader");
        var header = requestStream.Current.Header;
        string clientId = ClientIds.Require(header.ClientId, context);
        LayoutFingerprints.Require(header.LayoutFingerprint, clientId, model);
        var grain = Federation;

        var verdict = await grain.CheckUpdate(clientId, header.Round, header.BaseModelVersion);
        if (verdict != UpdateVerdict.Accepted) throw Refused(verdict, clientId, header);
        using var slot = uploadSlots.TryTake(clientId)
            ?? throw Fail(StatusCode.ResourceExhausted, $"client '{clientId}' already has an upload in flight; send one at a time");
        using var upload = uploadsInFlight.Begin(settings.Value.FederationId, header.Round, clientId);

        async Task<RpcException> Reject(StatusCode code, string reason)
        {
            ledger.End(clientId, header.Round, context);
            refused.Count();
            await grain.RejectUpdate(clientId, header.Round, reason);
            logger.LogWarning("Update from {Client} for round {Round} rejected: {Reason}", clientId, header.Round, reason);
            return Fail(code, $"update rejected: {reason}");
        }

        var allowed = UploadTime(header.PayloadBytes);
        deadline.CancelAfter(allowed);
        float[] update;
        try
        {
            TrainingReports.Check(header);
            update = await ReceiveUpdate(header, requestStream, deadline.Token);
        }
        catch (Exception e) when (e is InvalidDataException or WireFormatException)
        {
            throw await Reject(StatusCode.InvalidArgument, e.Message);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw await Reject(StatusCode.ResourceExhausted,
                $"the upload did not arrive within {allowed.TotalSeconds:F0} s ({options.Value.UploadGrace.TotalSeconds:F0} s, then at least {options.Value.MinUploadBytesPerSecond} bytes/s)");
        }

        double norm = NormClipper.Norm(update);
        var traffic = ledger.End(clientId, header.Round, context);
        upload.Arrived(traffic);
        string partialKey = PartialAggregateKey.For(settings.Value.FederationId, localSilo.SiloAddress);
        var admission = await grain.AdmitUpdate(clientId, header.Round, header.BaseModelVersion, partialKey,
            TrainingReports.From(header, traffic, norm));
        if (admission.Verdict != UpdateVerdict.Accepted) throw Refused(admission.Verdict, clientId, header);
        // The grain sets the bound (fixed, or adaptive per round); it is applied here, before the update enters a sum.
        if (admission.ClipBound is { } bound) NormClipper.Clip(update, norm, bound);
        // Immutable: the partial aggregate lives on this silo, so the update is summed without being copied.
        verdict = await grains.GetGrain<IPartialAggregateGrain>(partialKey)
            .Add(admission.RoundAttempt, clientId, admission.Weight, new Immutable<float[]>(update));
        // Duplicate: an earlier try of this upload is already in this silo's sum, and its confirmation was lost on the way.
        if (verdict is UpdateVerdict.Accepted or UpdateVerdict.Duplicate)
            verdict = await grain.ConfirmUpdate(clientId, admission.RoundAttempt, partialKey);
        if (verdict != UpdateVerdict.Accepted) throw Refused(verdict, clientId, header);
        return new UpdateReceipt { Accepted = true, Message = $"update for round {header.Round} accepted" };
    }

    private async Task<float[]> ReceiveUpdate(UpdateHeader header, IAsyncStreamReader<UpdateMessage> stream, CancellationToken cancellationToken)
    {
        var assembler = new PayloadAssembler(header.PayloadBytes, model.Layout.MaxPayloadBytes);
        while (!assembler.IsComplete && await NextMessage(stream, cancellationToken))
        {
            if (stream.Current.PartCase != UpdateMessage.PartOneofCase.Chunk)
                throw new InvalidDataException("only PayloadChunks may follow the UpdateHeader");
            assembler.Append(stream.Current.Chunk);
        }
        if (assembler.IsComplete && await NextMessage(stream, cancellationToken))
            throw new InvalidDataException($"more data followed the announced {header.PayloadBytes} payload bytes");

        var update = new float[model.Layout.TotalLength];
        UpdateDecoder.Decode(assembler.GetPayload(), model.Layout, update);
        int bad = Array.FindIndex(update, v => !float.IsFinite(v));
        if (bad >= 0) throw new InvalidDataException($"update value {bad} is {update[bad]}; updates must be finite");
        return update;
    }

    /// <summary>
    /// The stream's next message. Bytes that are not one (a protobuf that does not parse, a length prefix beyond what
    /// gRPC can read) make a malformed update, not a failure of the coordinator.
    /// </summary>
    private static async Task<bool> NextMessage(IAsyncStreamReader<UpdateMessage> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNext(cancellationToken);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"the stream holds bytes that are not an UpdateMessage: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidDataException($"the stream's gRPC framing is invalid: {e.Message}", e);
        }
    }

    /// <summary>How long an upload of the announced size may take: the grace, then the minimum rate.</summary>
    private TimeSpan UploadTime(long announcedBytes)
    {
        long bytes = Math.Clamp(announcedBytes, 0, model.Layout.MaxPayloadBytes);
        return options.Value.UploadGrace + TimeSpan.FromSeconds((double)bytes / options.Value.MinUploadBytesPerSecond);
    }

    private static TaskMessage Header(TaskAction action, TaskAssignment assignment, ModelPayload? payload = null) => new()
    {
        Header = new TaskHeader
        {
            Action = action,
            Round = assignment.Round,
            ModelVersion = assignment.ModelVersion,
            BaseModelVersion = payload?.BaseVersion ?? 0,
            PayloadBytes = payload?.Bytes.Length ?? 0,
            RetryAfterMs = action == TaskAction.Wait ? 100 : 0,
            ModelHash = payload?.Hash ?? 0,
            DifferenceBytes = { payload?.DifferenceBytes.Select(b => (long)b) ?? [] },
            FitConfig = { assignment.FitConfig ?? new Dictionary<string, string>() },
        },
    };

    private static RpcException Refused(UpdateVerdict verdict, string clientId, UpdateHeader header) => verdict switch
    {
        UpdateVerdict.NotSelected => Fail(StatusCode.FailedPrecondition, $"client '{clientId}' is not selected for round {header.Round}"),
        UpdateVerdict.Duplicate => Fail(StatusCode.AlreadyExists, $"client '{clientId}' already reported for round {header.Round}"),
        UpdateVerdict.TooLate => Fail(StatusCode.FailedPrecondition,
            $"client '{clientId}''s update for round {header.Round} would miss the round's deadline over its emulated link"),
        _ => Fail(StatusCode.FailedPrecondition,
            $"round {header.Round} on model version {header.BaseModelVersion} is not the round in progress; fetch a new task"),
    };

    private static RpcException Fail(StatusCode code, string message) => new(new Status(code, message));
}
