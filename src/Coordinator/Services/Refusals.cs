using Grpc.Core;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>The status a call is refused with, for the federation grain's verdicts and the service's own checks.</summary>
internal static class Refusals
{
    public static RpcException Fail(StatusCode code, string message) => new(new Status(code, message));

    public static RpcException OfUpdate(UpdateVerdict verdict, UpdateHeader header) => verdict switch
    {
        UpdateVerdict.NotSelected => Fail(StatusCode.FailedPrecondition, $"client '{header.ClientId}' is not selected for round {header.Round}"),
        UpdateVerdict.Duplicate => Fail(StatusCode.AlreadyExists, $"client '{header.ClientId}' already reported for round {header.Round}"),
        UpdateVerdict.TooLate => Fail(StatusCode.FailedPrecondition,
            $"client '{header.ClientId}''s update for round {header.Round} would miss the round's deadline over its emulated link"),
        _ => Fail(StatusCode.FailedPrecondition,
            $"round {header.Round} on model version {header.BaseModelVersion} is not the round in progress; fetch a new task"),
    };

    public static RpcException OfEvaluation(UpdateVerdict verdict, EvaluationReport report) => verdict switch
    {
        UpdateVerdict.NotSelected => Fail(StatusCode.FailedPrecondition, $"client '{report.ClientId}' is not asked to evaluate round {report.Round}"),
        UpdateVerdict.Duplicate => Fail(StatusCode.AlreadyExists, $"client '{report.ClientId}' already reported its evaluation of round {report.Round}"),
        _ => Fail(StatusCode.FailedPrecondition,
            $"round {report.Round}'s model version {report.ModelVersion} is not being evaluated; fetch a new task"),
    };
}
