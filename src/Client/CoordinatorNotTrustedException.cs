using Grpc.Core;

namespace PoolCompress.Client;

/// <summary>
/// The client does not trust its coordinator's certificate. Retrying cannot help, since the client's own trust
/// settings decide, so a call that meets it stops the client (the CLI exits with 4).
/// </summary>
public sealed class CoordinatorNotTrustedException(string reason) : Exception($"cannot trust the coordinator: {reason}")
{
    /// <summary>The refusal behind a failed call, when the TLS handshake failed because of it.</summary>
    public static CoordinatorNotTrustedException? BehindFailed(RpcException call)
    {
        for (var e = call.Status.DebugException; e is not null; e = e.InnerException)
            if (e is CoordinatorNotTrustedException refusal) return refusal;
        return null;
    }
}
