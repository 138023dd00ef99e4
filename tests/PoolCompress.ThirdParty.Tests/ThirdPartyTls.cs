using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// TLS as a third party's client does it from docs/identity.md alone: trust the federation CA (<c>ca.crt</c>) and
/// nothing else, present a PEM certificate and key, and make certificates of its own with a CA key (SAN URI
/// <c>poolcompress://client/ID</c>, EKU clientAuth) as someone holding that key could.
/// </summary>
internal static class ThirdPartyTls
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A handler that trusts only <paramref name="caPath"/> and presents <paramref name="certificate"/>, if any.</summary>
    public static SocketsHttpHandler Handler(string caPath, X509Certificate2? certificate)
    {
        var authority = X509CertificateLoader.LoadCertificateFromFile(caPath);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, server, _, _) => server is X509Certificate2 presented && IssuedBy(presented, authority);
        if (certificate is not null) handler.SslOptions.ClientCertificates = [certificate];
        return handler;
    }

    public static X509Certificate2 Load(string certificatePath, string keyPath) => X509Certificate2.CreateFromPemFile(certificatePath, keyPath);

    /// <summary>A client certificate for <paramref name="clientId"/> signed with the CA's key, valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public static X509Certificate2 Sign(string caPath, string caKeyPath, string clientId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var authority = X509Certificate2.CreateFromPemFile(caPath, caKeyPath);
        using var caKey = authority.GetECDsaPrivateKey()!;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clientId}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri($"poolcompress://client/{clientId}"));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthentication)], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var signed = request.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static bool IssuedBy(X509Certificate2 server, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(server);
    }
}
