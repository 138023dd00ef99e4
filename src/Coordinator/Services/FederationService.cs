using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Protos.V1;
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// The gRPC face of a federation, on every silo. It stays thin: interceptors have authenticated the caller and
/// checked the client id each request names before a handler runs; the handlers check what only they can read and
/// ask the federation grain, which owns all state. Task polls, update streams and the secure stages have their own classes.
/// </summary>
public sealed class FederationService(
    FederationGrains grains,
    TaskSender tasks,
    UpdateIntake updates,
    SecureStages secure,
    CoordinatorModel model,
    ClientDataLedger clientData,
    FederatedStrategy strategy,
    IOptions<FederationSettings> settings) : V1.Federation.FederationBase
{
    public override async Task<JoinReply> Join(JoinRequest request, ServerCallContext context)
    {
        JoinRequests.Check(request, model.DataSpec, settings.Value.Codec);
        var state = await grains.Federation.Join(request.ClientId, request.SampleCount);
        clientData.Record(request.ClientId, request.SampleCount, request.ValidationCount);
        return new JoinReply { FederationId = state.FederationId, Config = FederationConfigs.For(state, model, strategy) };
    }

    public override async Task GetTask(TaskRequest request, IServerStreamWriter<TaskMessage> responseStream, ServerCallContext context)
    {
        LayoutFingerprints.Require(request.LayoutFingerprint, request.ClientId, model.Layout, model.Name);
        // Null: the client gave up its long poll, and nobody is left to answer.
        if (await tasks.AwaitAssignment(request.ClientId, context.CancellationToken) is { } assignment)
            await tasks.Send(assignment, request, responseStream, context);
    }

    public override async Task<EvaluationReceipt> ReportEvaluation(EvaluationReport request, ServerCallContext context)
    {
        var evaluation = await ReadEvaluation(request);
        var verdict = await grains.Federation.ReportEvaluation(request.Round, request.ModelVersion, evaluation);
        if (verdict != UpdateVerdict.Accepted) throw Refusals.OfEvaluation(verdict, request);
        return new EvaluationReceipt { Accepted = true, Message = $"evaluation for round {request.Round} accepted" };
    }

    /// <summary>Under secure aggregation no update may arrive readable: only masked uploads (<see cref="UploadMasked"/>) are taken.</summary>
    public override Task<UpdateReceipt> PushUpdate(IAsyncStreamReader<UpdateMessage> requestStream, ServerCallContext context) =>
        settings.Value.SecureAggregation
            ? throw Refusals.Fail(StatusCode.FailedPrecondition, "this federation runs secure aggregation: updates go up masked (UploadMasked), never as they are")
            : updates.Receive(requestStream, context);

    public override Task<SecureRoster> Advertise(SecureAdvertisement request, ServerCallContext context) => secure.Advertise(request, context);

    public override Task<SecureSharesForYou> ShareKeys(SecureShares request, ServerCallContext context) => secure.ShareKeys(request, context);

    public override Task<SecureOutcome> UploadMasked(IAsyncStreamReader<UpdateMessage> requestStream, ServerCallContext context) =>
        secure.UploadMasked(requestStream, context);

    public override Task<RevealReceipt> Reveal(RevealedShares request, ServerCallContext context) => secure.Reveal(request, context);

    /// <summary>The report's checked figures; a malformed report is refused, and the grain told so.</summary>
    private async Task<ClientEvaluation> ReadEvaluation(EvaluationReport request)
    {
        try
        {
            return EvaluationReports.Read(request, request.ClientId, model.DataSpec.Classes.Count, settings.Value.MaxSampleCount);
        }
        catch (InvalidDataException e)
        {
            await grains.Federation.RejectEvaluation(request.ClientId, request.Round, request.ModelVersion, e.Message);
            throw Refusals.Fail(StatusCode.InvalidArgument, $"evaluation rejected: {e.Message}");
        }
    }
}
