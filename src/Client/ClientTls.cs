using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using PoolCompress.Protos;

namespace PoolCompress.Client;

/// <summary>
/// How a client trusts its coordinator over https: only a server certificate issued by the federation CA (never the
/// system store) for the name dialled; and, with a client certificate, how it proves who it is.
/// </summary>
public sealed class ClientTls
{
    private readonly X509Certificate2 _authority;
    private readonly X509Certificate2? _certificate;

    /// <exception cref="ArgumentException">a file is missing or is not a PEM certificate or key.</exception>
    public ClientTls(string caPath, string? certificatePath = null, string? keyPath = null)
    {
        if (string.IsNullOrEmpty(certificatePath) != string.IsNullOrEmpty(keyPath))
            throw new ArgumentException("a client certificate needs its key: give both --client-cert and --client-key");
        _authority = Load($"CA '{caPath}'", () => X509CertificateLoader.LoadCertificateFromFile(caPath));
        if (!string.IsNullOrEmpty(certificatePath))
            _certificate = Load($"client certificate '{certificatePath}' with key '{keyPath}'", () => X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
    }

    /// <summary>A handler for <see cref="FederationClient.CreateChannel(IReadOnlyList{Uri}, HttpMessageHandler?)"/>; pass one to shape an existing handler (e.g. an emulated link).</summary>
    public SocketsHttpHandler Apply(SocketsHttpHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is X509Certificate2 server
            && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            && FederationTrust.IsIssuedBy(server, _authority, FederationTrust.ServerAuthentication);
        if (_certificate is not null) handler.SslOptions.ClientCertificates = [_certificate];
        return handler;
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
