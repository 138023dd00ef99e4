using Grpc.Core;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Of the callers that prove one client identity (a certificate or a per-client token), admits only the federation's
/// members (<see cref="FederationMembers"/>): a valid credential for an id the federation does not list gets
/// PERMISSION_DENIED on every call, so it can neither join nor fetch a task nor upload. The shared token names nobody,
/// so there is nothing to check (docs/identity.md).
/// </summary>
public sealed class MembersOnlyAuthenticator(IClientAuthenticator authenticator, int clients) : IClientAuthenticator
{
    public Caller Authenticate(ServerCallContext context)
    {
        var caller = authenticator.Authenticate(context);
        if (caller.ClientId is { } clientId && !FederationMembers.Includes(clients, clientId))
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"client '{clientId}' is not a member of this federation, whose members are {FederationMembers.Describe(clients)} (--clients {clients})"));
        return caller;
    }
}
