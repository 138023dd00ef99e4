using Grpc.Core;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Of the callers that prove one client identity (a certificate or a per-client token), admits only the federation's
/// members (<see cref="FederationMembership"/>): a valid credential for another id gets PERMISSION_DENIED on every
/// call, so it can neither join nor fetch a task nor upload. The shared token names nobody: there the id each call
/// names is checked instead (<c>ClientIdInterceptor</c>).
/// </summary>
public sealed class MembersOnlyAuthenticator(IClientAuthenticator authenticator, FederationMembership members) : IClientAuthenticator
{
    public Caller Authenticate(ServerCallContext context)
    {
        var caller = authenticator.Authenticate(context);
        if (caller.ClientId is { } clientId) members.Admit(clientId);
        return caller;
    }
}
