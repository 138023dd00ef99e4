using Grpc.Core;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Who a call comes from, as its credentials prove: one client (a client certificate or a per-client token), which
/// may act only as itself, or anyone holding the shared token (simulations), who may name any client.
/// </summary>
public sealed record Caller(string? ClientId)
{
    public static readonly Caller AnyClient = new((string?)null);

    public static Caller Of(ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(Caller), out var caller) && caller is Caller known
            ? known
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not authenticated"));

    public void AttachTo(ServerCallContext context) => context.UserState[typeof(Caller)] = this;

    /// <summary>Refuses a call that names another client than the one its credentials belong to.</summary>
    public void Permit(string clientId)
    {
        if (ClientId is not null && ClientId != clientId)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"this call is authenticated as client '{ClientId}', which may act only as itself, not as '{clientId}'"));
    }
}
