using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Answers a task poll: holds it (a long poll) until the federation has a task for the client or the poll's time is
/// up, then sends the task's header and, to train or evaluate, the model payload in chunks.
/// </summary>
public sealed class TaskSender(
    FederationGrains grains,
    GlobalModelPayloads payloads,
    SecureSupports secureSupports,
    ClientTrafficLedger ledger,
    IOptions<CoordinatorOptions> options,
    IOptions<FederationSettings> settings,
    TimeProvider time)
{
    /// <summary>The client's task, or null when the client gave up its poll.</summary>
    public async Task<TaskAssignment?> AwaitAssignment(string clientId, CancellationToken callCancelled)
    {
        var grain = grains.Federation;
        var waitUntil = time.GetUtcNow() + options.Value.LongPoll;
        while (true)
        {
            var assignment = await grain.GetAssignment(clientId);
            var remaining = waitUntil - time.GetUtcNow();
            if (assignment.Kind != AssignmentKind.Wait || remaining <= TimeSpan.Zero) return assignment;
            try
            {
                await grain.WaitForChange(assignment.StateVersion, remaining).WaitAsync(callCancelled);
            }
            catch (OperationCanceledException) when (callCancelled.IsCancellationRequested)
            {
                // The client is shutting down or moving to another silo: nobody to answer.
                return null;
            }
        }
    }

    public async Task Send(TaskAssignment assignment, TaskRequest request, IServerStreamWriter<TaskMessage> responseStream, ServerCallContext context)
    {
        switch (assignment.Kind)
        {
            case AssignmentKind.NotJoined:
                throw Refusals.Fail(StatusCode.FailedPrecondition, $"client '{request.ClientId}' has not joined this federation; call Join first");
            case AssignmentKind.Train:
                var payload = await PayloadFor(assignment, request);
                ledger.Begin(request.ClientId, assignment.Round, context);
                await SendModel(TaskAction.Train, assignment, payload, responseStream);
                break;
            case AssignmentKind.Evaluate:
                await SendModel(TaskAction.Evaluate, assignment, await PayloadFor(assignment, request), responseStream);
                break;
            case AssignmentKind.Done:
                await responseStream.WriteAsync(Header(TaskAction.Done, assignment));
                break;
            default:
                await responseStream.WriteAsync(Header(TaskAction.Wait, assignment));
                break;
        }
    }

    private Task<ModelPayload> PayloadFor(TaskAssignment assignment, TaskRequest request) =>
        payloads.GetAsync(assignment.ModelVersion, request.KnownModelVersion, request.KnownModelHash);

    /// <summary>The task's header, then its model payload in chunks.</summary>
    private async Task SendModel(TaskAction action, TaskAssignment assignment, ModelPayload payload, IServerStreamWriter<TaskMessage> responseStream)
    {
        var header = Header(action, assignment, payload);
        if (assignment.Secure is { } secure) header.Header.Secure = SecurePlans.Describe(secure, settings.Value, await secureSupports.ForAsync(secure));
        await responseStream.WriteAsync(header);
        foreach (var chunk in PayloadChunks.Split(payload.Bytes))
            await responseStream.WriteAsync(new TaskMessage { Chunk = chunk });
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
}
