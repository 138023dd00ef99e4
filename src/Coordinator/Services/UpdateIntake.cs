using Grpc.Core;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Takes an update stream from a client to this silo's partial sum: the federation grain decides whether to take it
/// (before and after its bytes arrive), one upload per client at a time, and a refusal is told to the grain, counted
/// as rejected traffic and logged.
/// </summary>
public sealed class UpdateIntake(
    FederationGrains grains,
    UpdateReceiver receiver,
    UploadSlots uploadSlots,
    UploadsInFlight uploadsInFlight,
    ClientTrafficLedger ledger,
    TrafficMeter meter,
    ILogger<UpdateIntake> logger)
{
    public async Task<UpdateReceipt> Receive(IAsyncStreamReader<UpdateMessage> stream, ServerCallContext context)
    {
        // A refused upload's bytes crossed the socket, but they are not the round's uplink.
        var refused = new RefusedCallTraffic(meter, context);
        try
        {
            return await ReceiveAndAdmit(stream, context, refused);
        }
        catch (RpcException)
        {
            refused.Count();
            throw;
        }
    }

    private async Task<UpdateReceipt> ReceiveAndAdmit(IAsyncStreamReader<UpdateMessage> stream, ServerCallContext context, RefusedCallTraffic refused)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(receiver.Grace);
        var header = await receiver.ReadHeader(stream, deadline.Token, context.CancellationToken);
        var verdict = await grains.Federation.CheckUpdate(header.ClientId, header.Round, header.BaseModelVersion);
        if (verdict != UpdateVerdict.Accepted) throw Refusals.OfUpdate(verdict, header);
        using var slot = uploadSlots.TryTake(header.ClientId)
            ?? throw Refusals.Fail(StatusCode.ResourceExhausted, $"client '{header.ClientId}' already has an upload in flight; send one at a time");
        using var upload = uploadsInFlight.Begin(grains.FederationId, header.Round, header.ClientId);

        var update = await ReceivePayload(header, stream, deadline, context, refused);
        double norm = NormClipper.Norm(update);
        var traffic = ledger.End(header.ClientId, header.Round, context);
        upload.Arrived(traffic);
        await AddToPartialSum(header, update, norm, TrainingReports.From(header, traffic, norm));
        return new UpdateReceipt { Accepted = true, Message = $"update for round {header.Round} accepted" };
    }

    private async Task<float[]> ReceivePayload(UpdateHeader header, IAsyncStreamReader<UpdateMessage> stream, CancellationTokenSource deadline,
        ServerCallContext context, RefusedCallTraffic refused)
    {
        var allowed = receiver.UploadTime(header.PayloadBytes);
        deadline.CancelAfter(allowed);
        try
        {
            TrainingReports.Check(header);
            return await receiver.ReadUpdate(header, stream, deadline.Token);
        }
        catch (Exception e) when (e is InvalidDataException or WireFormatException)
        {
            throw await Reject(header, StatusCode.InvalidArgument, e.Message, context, refused);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw await Reject(header, StatusCode.ResourceExhausted, receiver.TooSlow(allowed), context, refused);
        }
    }

    /// <summary>Ends the client's task with a refusal the grain hears of, counted with the round it settles.</summary>
    private async Task<RpcException> Reject(UpdateHeader header, StatusCode code, string reason, ServerCallContext context, RefusedCallTraffic refused)
    {
        ledger.End(header.ClientId, header.Round, context);
        refused.Count();
        await grains.Federation.RejectUpdate(header.ClientId, header.Round, reason);
        logger.LogWarning("Update from {Client} for round {Round} rejected: {Reason}", header.ClientId, header.Round, reason);
        return Refusals.Fail(code, $"update rejected: {reason}");
    }

    private async Task AddToPartialSum(UpdateHeader header, float[] update, double norm, TrainingReport report)
    {
        var federation = grains.Federation;
        string partialKey = grains.PartialSumKey;
        var admission = await federation.AdmitUpdate(header.ClientId, header.Round, header.BaseModelVersion, partialKey, report);
        if (admission.Verdict != UpdateVerdict.Accepted) throw Refusals.OfUpdate(admission.Verdict, header);
        // The grain sets the bound (fixed, or adaptive per round); it is applied here, before the update enters a sum.
        if (admission.ClipBound is { } bound) NormClipper.Clip(update, norm, bound);
        // Immutable: the partial aggregate lives on this silo, so the update is summed without being copied.
        var verdict = await grains.PartialSum(partialKey).Add(admission.RoundAttempt, header.ClientId, admission.Weight, new Immutable<float[]>(update));
        // Duplicate: an earlier try of this upload is already in this silo's sum, and its confirmation was lost on the way.
        if (verdict is UpdateVerdict.Accepted or UpdateVerdict.Duplicate)
            verdict = await federation.ConfirmUpdate(header.ClientId, admission.RoundAttempt, partialKey);
        if (verdict != UpdateVerdict.Accepted) throw Refusals.OfUpdate(verdict, header);
    }
}
