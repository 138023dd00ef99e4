using Grpc.Core;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Coordinator.Services;

/// <summary>Refuses every call whose credentials do not pass, and attaches the proven <see cref="Caller"/> to the others.</summary>
public sealed class AuthenticationInterceptor(IClientAuthenticator authenticator) : EveryCallInterceptor
{
    protected override void OnCall(ServerCallContext context)
    {
        // Health probes (Kubernetes, load balancers) carry no federation token.
        if (context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)) return;
        authenticator.Authenticate(context).AttachTo(context);
    }
}
