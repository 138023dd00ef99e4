using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Mutual TLS on Orleans' silo and gateway connections. A peer counts only with a certificate from the federation CA
/// valid for both server and client authentication, which coordinator certificates are and client certificates are
/// not, so a federated client cannot join the cluster. Silos dial each other by IP, so the peer's name is not checked.
/// </summary>
internal static class SiloTls
{
    public static void Configure(ISiloBuilder silo, SiloTlsOptions options)
    {
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificatePath!, options.KeyPath);
        var authority = X509CertificateLoader.LoadCertificateFromFile(options.CaPath!);
        silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.CheckCertificateRevocation = false;
            tls.RemoteCertificateValidation = (remote, _, _) =>
                FederationTrust.IsIssuedBy(remote, authority, FederationTrust.ServerAuthentication)
                && FederationTrust.IsIssuedBy(remote, authority, FederationTrust.ClientAuthentication);
        });
    }

    public static IEnumerable<string> Problems(SiloTlsOptions o)
    {
        bool any = !string.IsNullOrEmpty(o.CertificatePath) || !string.IsNullOrEmpty(o.KeyPath) || !string.IsNullOrEmpty(o.CaPath);
        if (!any) yield break;
        if (string.IsNullOrEmpty(o.CertificatePath) || string.IsNullOrEmpty(o.KeyPath) || string.IsNullOrEmpty(o.CaPath))
            yield return "Orleans TLS needs Coordinator:Orleans:Tls:CertificatePath, KeyPath and CaPath together";
        else if ((CoordinatorIdentity.LoadProblem(() => X509Certificate2.CreateFromPemFile(o.CertificatePath, o.KeyPath))
                  ?? CoordinatorIdentity.LoadProblem(() => X509CertificateLoader.LoadCertificateFromFile(o.CaPath))) is { } problem)
            yield return $"Orleans TLS certificates cannot be loaded: {problem}";
    }
}
