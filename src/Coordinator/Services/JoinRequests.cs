using Grpc.Core;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>Refuses a join whose protocol, counts or data do not fit the federation.</summary>
internal static class JoinRequests
{
    public const uint ProtocolVersion = 1;

    public static void Check(JoinRequest request, DataSpec federationData, string uplinkCodec)
    {
        if (request.ProtocolVersion != ProtocolVersion)
            throw Refusals.Fail(StatusCode.FailedPrecondition, $"protocol_version {request.ProtocolVersion} is not supported; this coordinator speaks {ProtocolVersion}");
        if (request.SampleCount <= 0)
            throw Refusals.Fail(StatusCode.InvalidArgument, $"sample_count must be positive, got {request.SampleCount}");
        if (request.ValidationCount < 0)
            throw Refusals.Fail(StatusCode.InvalidArgument, $"validation_count must not be negative, got {request.ValidationCount}");
        RequireCodecs(request, uplinkCodec);
        var mismatch = request.InputShape.Count + request.ClassNames.Count == 0 ? [] : federationData.Differences(request.InputShape, request.ClassNames);
        if (mismatch.Count > 0)
            throw Refusals.Fail(StatusCode.FailedPrecondition,
                $"client '{request.ClientId}' may not join: its data does not fit the federation: {string.Join("; ", mismatch)}");
    }

    /// <summary>
    /// A client that announces the codec stages it can encode must announce every one the federation's uplink codec
    /// uses, or each of its updates would be refused; one that announces none is taken at its word by its updates.
    /// </summary>
    private static void RequireCodecs(JoinRequest request, string uplinkCodec)
    {
        if (request.Codecs.Count == 0) return;
        var missing = CodecSpec.Parse(uplinkCodec).StagesUsed.Except(request.Codecs, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw Refusals.Fail(StatusCode.FailedPrecondition,
                $"client '{request.ClientId}' may not join: the federation's codec '{uplinkCodec}' uses {string.Join(", ", missing)}, which the client does not announce (it announces {string.Join(", ", request.Codecs)})");
    }
}
