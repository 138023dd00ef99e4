using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PoolCompress.Protos;

namespace PoolCompress.Client;

/// <summary>
/// How a client trusts its coordinator over https: with a federation CA, only a server certificate issued by it (never
/// the system store) for the name dialled; without one, the system store. A certificate it does not trust stops the
/// handshake with a <see cref="CoordinatorNotTrustedException"/> saying why. With a client certificate, it also
/// says how the client proves who it is.
/// </summary>
public sealed class ClientTls
{
    private readonly string? _caPath;
    private readonly X509Certificate2? _authority;
    private readonly X509Certificate2? _certificate;

    /// <param name="caPath">The federation CA; null trusts what the system's store trusts.</param>
    /// <exception cref="ArgumentException">a file is missing or is not a PEM certificate or key.</exception>
    public ClientTls(string? caPath, string? certificatePath = null, string? keyPath = null)
    {
        if (string.IsNullOrEmpty(certificatePath) != string.IsNullOrEmpty(keyPath))
            throw new ArgumentException("a client certificate needs its key: give both --client-cert and --client-key");
        _caPath = caPath;
        if (caPath is not null)
            _authority = Load($"CA '{caPath}'", () => X509CertificateLoader.LoadCertificateFromFile(caPath));
        if (!string.IsNullOrEmpty(certificatePath))
            _certificate = Load($"client certificate '{certificatePath}' with key '{keyPath}'", () => X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
    }

    /// <summary>A handler for <see cref="FederationClient.CreateChannel(IReadOnlyList{Uri}, HttpMessageHandler?)"/>; pass one to shape an existing handler (e.g. an emulated link).</summary>
    public SocketsHttpHandler Apply(SocketsHttpHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            Distrust(certificate as X509Certificate2, errors) is { } reason ? throw new CoordinatorNotTrustedException(reason) : true;
        if (_certificate is not null) handler.SslOptions.ClientCertificates = [_certificate];
        return handler;
    }

    /// <summary>Why the coordinator's certificate is not to be trusted, or null when it is.</summary>
    private string? Distrust(X509Certificate2? server, SslPolicyErrors errors)
    {
        if (server is null) return "the coordinator presented no certificate";
        string which = $"the coordinator's certificate '{server.Subject}' (issued by '{server.Issuer}')";
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return $"{which} is not for the name dialled: dial a name it holds (certs init --coordinator-dns names them)";
        if (_authority is null)
            return errors == SslPolicyErrors.None ? null
                : $"{which} is not trusted by this machine's certificate store ({errors}): give --ca the federation CA that issued it (certs init's ca.crt)";
        return FederationTrust.IsIssuedBy(server, _authority, FederationTrust.ServerAuthentication) ? null
            : $"{which} is not issued by the federation CA '{_caPath}' for a server: give --ca the CA that issued it (certs init's ca.crt)";
    }

    private static X509Certificate2 Load(string what, Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{what} cannot be loaded: {e.Message}", e);
        }
    }
}
