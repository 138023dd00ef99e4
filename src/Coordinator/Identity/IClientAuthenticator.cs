using Grpc.Core;

namespace PoolCompress.Coordinator.Identity;

/// <summary>Proves who a gRPC call comes from, or refuses it (UNAUTHENTICATED) with a message saying what was missing.</summary>
public interface IClientAuthenticator
{
    Caller Authenticate(ServerCallContext context);
}
