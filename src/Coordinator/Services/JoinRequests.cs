using Grpc.Core;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>Refuses a join whose protocol, counts or data do not fit the federation.</summary>
internal static class JoinRequests
{
    public const uint ProtocolVersion = 1;

    public static void Check(JoinRequest request, DataSpec federationData)
    {
        if (request.ProtocolVersion != ProtocolVersion)
            throw Refusals.Fail(StatusCode.FailedPrecondition, $"protocol_version {request.ProtocolVersion} is not supported; this coordinator speaks {ProtocolVersion}");
        if (request.SampleCount <= 0)
            throw Refusals.Fail(StatusCode.InvalidArgument, $"sample_count must be positive, got {request.SampleCount}");
        if (request.ValidationCount < 0)
            throw Refusals.Fail(StatusCode.InvalidArgument, $"validation_count must not be negative, got {request.ValidationCount}");
        var mismatch = request.InputShape.Count + request.ClassNames.Count == 0 ? [] : federationData.Differences(request.InputShape, request.ClassNames);
        if (mismatch.Count > 0)
            throw Refusals.Fail(StatusCode.FailedPrecondition,
                $"client '{request.ClientId}' may not join: its data does not fit the federation: {string.Join("; ", mismatch)}");
    }
}
