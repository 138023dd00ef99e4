using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// The four secure aggregation calls: each finds the caller's secure round through the federation grain (which
/// alone says who is a member of which round), checks the message against it, hands it to the round's grain, and
/// answers once the stage has closed. A masked upload is admitted by the federation grain like a plain update, so
/// the round waits for it and counts its task's bytes; a refused message is INVALID_ARGUMENT, a failed round ABORTED.
/// </summary>
public sealed class SecureStages(FederationGrains grains, UpdateReceiver receiver, ClientTrafficLedger ledger, IOptions<CoordinatorOptions> options)
{
    public async Task<SecureRoster> Advertise(SecureAdvertisement request, ServerCallContext context)
    {
        var (ticket, round) = await RoundOf(request.ClientId, request.Round);
        await Submit(round.Advertise(ticket, request.ClientId, Read(() => SecureMessages.Keys(request))));
        return SecureMessages.Roster(await AwaitPast(round, SecureStage.Advertising, request.ClientId, context));
    }

    public async Task<SecureSharesForYou> ShareKeys(SecureShares request, ServerCallContext context)
    {
        var (ticket, round) = await RoundOf(request.ClientId, request.Round);
        await Submit(round.Share(ticket, request.ClientId, Read(() => SecureMessages.Envelopes(request, ticket))));
        return SecureMessages.SharesForYou(await AwaitPast(round, SecureStage.Sharing, request.ClientId, context));
    }

    public async Task<SecureOutcome> UploadMasked(IAsyncStreamReader<UpdateMessage> stream, ServerCallContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        deadline.CancelAfter(receiver.Grace);
        var header = await receiver.ReadHeader(stream, deadline.Token, context.CancellationToken);
        var (ticket, round) = await RoundOf(header.ClientId, header.Round);
        var words = await ReadWords(header, stream, ticket, deadline);
        var report = TrainingReports.From(header, ledger.End(header.ClientId, header.Round, context), updateNorm: 0);
        string partialKey = await round.PartialKey();
        var admission = await grains.Federation.AdmitUpdate(header.ClientId, header.Round, header.BaseModelVersion, partialKey, report);
        if (admission.Verdict != Federation.UpdateVerdict.Accepted) throw Refusals.OfUpdate(admission.Verdict, header);
        if (await round.Upload(ticket, header.ClientId, words) is { } refusal)
        {
            await grains.Federation.RejectUpdate(header.ClientId, header.Round, refusal);
            throw Refused(refusal);
        }
        return SecureMessages.Outcome(await AwaitPast(round, SecureStage.Uploading, header.ClientId, context));
    }

    public async Task<RevealReceipt> Reveal(RevealedShares request, ServerCallContext context)
    {
        var (ticket, round) = await RoundOf(request.ClientId, request.Round);
        await Submit(round.Reveal(ticket, request.ClientId, Read(() => SecureMessages.Shares(request, ticket))));
        return new RevealReceipt { Accepted = true, Message = $"{request.Shares.Count} shares for round {request.Round} accepted" };
    }

    private async Task<(SecureRoundTicket Ticket, ISecureRoundGrain Round)> RoundOf(string clientId, int round)
    {
        var ticket = await grains.Federation.SecureRoundOf(clientId, round)
            ?? throw Refusals.Fail(StatusCode.FailedPrecondition, $"client '{clientId}' is not a member of a secure round {round} in progress; fetch a new task");
        return (ticket, grains.SecureRound(ticket));
    }

    /// <summary>The upload's masked words: exactly the round's packed size, checksummed chunks, zero padding.</summary>
    private async Task<uint[]> ReadWords(UpdateHeader header, IAsyncStreamReader<UpdateMessage> stream, SecureRoundTicket ticket, CancellationTokenSource deadline)
    {
        try
        {
            TrainingReports.Check(header);
            SecureMessages.RequireUploadSize(header, ticket);
            deadline.CancelAfter(receiver.UploadTime(header.PayloadBytes));
            var packed = await receiver.ReadPayload(header, stream, header.PayloadBytes, deadline.Token);
            return MaskedWords.Unpack(packed, ticket.SupportCount, ticket.Space);
        }
        catch (Exception e) when (e is InvalidDataException or SecureAggregationException)
        {
            throw Refused(e.Message);
        }
    }

    /// <summary>The round once it is past <paramref name="stage"/>, polled in grain calls no longer than a task poll.</summary>
    private async Task<SecureRoundView> AwaitPast(ISecureRoundGrain round, SecureStage stage, string clientId, ServerCallContext context)
    {
        while (true)
        {
            var view = await round.WaitPast((int)stage, options.Value.LongPoll, clientId);
            if (view.Failure is { } failure) throw Refusals.Fail(StatusCode.Aborted, $"secure round failed: {failure}");
            if (view.Stage > (int)stage) return view;
            context.CancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw Refused(e.Message);
        }
    }

    private static async Task Submit(Task<string?> submission)
    {
        if (await submission is { } refusal) throw Refused(refusal);
    }

    private static RpcException Refused(string reason) => Refusals.Fail(StatusCode.InvalidArgument, $"secure aggregation message refused: {reason}");
}
