using Grpc.Core;
using PoolCompress.Coordinator.Services;

namespace PoolCompress.Coordinator.Identity;

/// <summary>One token for the whole federation (or none): whoever holds it may act as any client. For simulations.</summary>
public sealed class SharedTokenAuthenticator(string? token) : IClientAuthenticator
{
    public Caller Authenticate(ServerCallContext context) =>
        BearerToken.Admits(token, context.RequestHeaders.GetValue("authorization"))
            ? Caller.AnyClient
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or wrong federation token (authorization: Bearer TOKEN)"));
}
