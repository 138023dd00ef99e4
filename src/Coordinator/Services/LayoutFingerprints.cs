using Grpc.Core;
using PoolCompress.Compression;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Refuses task polls and uploads from a client that does not state the federation's layout fingerprint: the
/// client-side check can be skipped or lied about, and a client training another parameter layout would waste its
/// rounds or, with a same-sized layout, add its weights to the wrong tensors.
/// </summary>
internal static class LayoutFingerprints
{
    public static void Require(ulong stated, string clientId, ModelLayout layout, string modelName)
    {
        ulong expected = layout.Fingerprint;
        if (stated == expected) return;
        string what = stated == 0 ? "states no layout_fingerprint" : $"states layout_fingerprint {stated:x16}";
        throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"client '{clientId}' {what}, but the federation's model {modelName} has {expected:x16}: build the layout in FederationConfig.layout and state its fingerprint"));
    }
}
