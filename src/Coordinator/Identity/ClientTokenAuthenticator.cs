using Grpc.Core;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Per-client tokens from a hashed token file (<see cref="ClientTokenFile"/>), each bound to one client id. The file
/// is read again when it changes, so a client whose line is removed is refused at its next call.
/// </summary>
public sealed class ClientTokenAuthenticator(string path) : IClientAuthenticator
{
    private const string Scheme = "Bearer ";

    private readonly ReloadingFile<IReadOnlyDictionary<string, ClientTokenFile.Entry>> _tokens =
        new(path, ClientTokenFile.Parse, new Dictionary<string, ClientTokenFile.Entry>());

    public Caller Authenticate(ServerCallContext context)
    {
        string authorization = context.RequestHeaders.GetValue("authorization") ?? "";
        string? clientId = authorization.StartsWith(Scheme, StringComparison.Ordinal) ? ClientTokenFile.ClientOf(_tokens.Current, authorization[Scheme.Length..]) : null;
        return clientId is not null
            ? new Caller(clientId)
            : throw new RpcException(new Status(StatusCode.Unauthenticated,
                "missing, unknown or revoked client token (authorization: Bearer CLIENT_ID.SECRET, issued by certs issue --token)"));
    }
}
