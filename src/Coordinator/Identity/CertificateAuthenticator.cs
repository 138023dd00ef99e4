using Grpc.Core;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// The client named by the connection's client certificate, which the TLS handshake already checked against the
/// federation CA alone. A certificate on the revocation list (read again when it changes) is refused at its next
/// call, even on a connection opened before it was revoked.
/// </summary>
public sealed class CertificateAuthenticator(string revocationListPath) : IClientAuthenticator
{
    private readonly ReloadingFile<IReadOnlySet<string>> _revoked = new(revocationListPath, RevocationList.ParseSerials, new HashSet<string>());

    public Caller Authenticate(ServerCallContext context)
    {
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw Refused("this coordinator requires a client certificate issued by the federation CA");
        string clientId = FederationTrust.ClientIdOf(certificate)
            ?? throw Refused($"the client certificate '{certificate.Subject}' names no client (one SAN URI {FederationTrust.ClientUriPrefix}ID)");
        if (_revoked.Current.Contains(certificate.SerialNumber.ToUpperInvariant()))
            throw Refused($"the client certificate of '{clientId}' (serial {certificate.SerialNumber}) is revoked");
        return new Caller(clientId);
    }

    private static RpcException Refused(string message) => new(new Status(StatusCode.Unauthenticated, message));
}
