using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PoolCompress.Coordinator.Services;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Provisions a federation, like NVFlare's provisioning but with System.Security.Cryptography alone: a CA, the
/// coordinator's server certificate, one client certificate (and optionally one token) per client, and revocation.
/// Keys are ECDSA P-256, written as unencrypted PKCS#8 PEM readable by the owner only.
/// </summary>
public sealed class FederationAuthority(FederationAuthorityFiles files)
{
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(825);

    public FederationAuthorityFiles Files => files;

    /// <summary>Creates the CA and the coordinator's certificate for <paramref name="coordinatorNames"/> (DNS names or IP addresses).</summary>
    public void Init(IReadOnlyList<string> coordinatorNames)
    {
        if (File.Exists(files.CaCertificate))
            throw new IOException($"'{files.Directory}' already holds a federation CA ({files.CaCertificate}); use another directory");
        Directory.CreateDirectory(files.Directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=PoolCompress federation CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + CaLifetime);
        Write(files.CaCertificate, ca.ExportCertificatePem());
        WriteSecret(files.CaKey, caKey.ExportPkcs8PrivateKeyPem());
        // A coordinator started before any client is issued then admits nobody yet, rather than refusing to start.
        File.WriteAllText(files.Issued, "");

        var names = new SubjectAlternativeNameBuilder();
        foreach (string name in coordinatorNames)
        {
            if (IPAddress.TryParse(name, out var ip)) names.AddIpAddress(ip);
            else names.AddDnsName(name);
        }
        using var coordinator = IssueLeaf(ca, caKey, new X500DistinguishedName("CN=PoolCompress coordinator"), names, [FederationTrust.ServerAuthentication, FederationTrust.ClientAuthentication], out var key);
        Write(files.CoordinatorCertificate, coordinator.ExportCertificatePem());
        WriteSecret(files.CoordinatorKey, key);
    }

    /// <summary>Issues <paramref name="clientId"/> a certificate and, with <paramref name="withToken"/>, a token (returned; only its hash is kept).</summary>
    public string? Issue(string clientId, bool withToken)
    {
        if (!ClientIds.IsValid(clientId)) throw new ArgumentException($"client id '{clientId}' is invalid: {ClientIds.Rule}");
        using var ca = LoadCa(out var caKey);
        using (caKey)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(FederationTrust.ClientUri(clientId)));
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName(clientId);
            using var certificate = IssueLeaf(ca, caKey, subject.Build(), names, [FederationTrust.ClientAuthentication], out var key);
            Directory.CreateDirectory(Path.GetDirectoryName(files.ClientCertificate(clientId))!);
            Write(files.ClientCertificate(clientId), certificate.ExportCertificatePem());
            WriteSecret(files.ClientKey(clientId), key);
            File.AppendAllText(files.Issued, $"{certificate.SerialNumber} {clientId}\n");
        }
        if (!withToken) return null;
        var (token, line) = ClientTokenFile.Issue(clientId);
        Replace(files.ClientTokens, [.. ClientTokenFile.Without(ReadLines(files.ClientTokens), clientId), line]);
        return token;
    }

    /// <summary>Revokes every certificate issued to <paramref name="clientId"/> and removes its token; returns how many certificates.</summary>
    public int Revoke(string clientId)
    {
        if (!File.Exists(files.CaCertificate)) throw new IOException($"'{files.Directory}' holds no federation CA; run certs init first");
        var revoked = RevocationList.ParseSerials(File.Exists(files.Revoked) ? File.ReadAllText(files.Revoked) : "");
        var serials = RevocationList.Lines(File.Exists(files.Issued) ? File.ReadAllText(files.Issued) : "")
            .Where(fields => fields.Length == 2 && fields[1] == clientId && !revoked.Contains(fields[0].ToUpperInvariant()))
            .Select(fields => $"{fields[0]} {clientId}")
            .ToList();
        bool hadToken = ReadLines(files.ClientTokens).Any(line => line.Split(' ', 2)[0] == clientId);
        if (serials.Count == 0 && !hadToken) throw new ArgumentException($"client '{clientId}' has no certificate or token to revoke in '{files.Directory}'");
        if (serials.Count > 0) Replace(files.Revoked, [.. ReadLines(files.Revoked), .. serials]);
        if (hadToken) Replace(files.ClientTokens, ClientTokenFile.Without(ReadLines(files.ClientTokens), clientId));
        return serials.Count;
    }

    private X509Certificate2 LoadCa(out ECDsa key)
    {
        if (!File.Exists(files.CaCertificate) || !File.Exists(files.CaKey))
            throw new IOException($"'{files.Directory}' holds no federation CA (ca.crt and ca.key); run certs init first");
        key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(files.CaKey));
        return X509CertificateLoader.LoadCertificateFromFile(files.CaCertificate);
    }

    private static X509Certificate2 IssueLeaf(X509Certificate2 ca, ECDsa caKey, X500DistinguishedName subject, SubjectAlternativeNameBuilder names, string[] usages, out string keyPem)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(Oids(usages), false));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + LeafLifetime < ca.NotAfter ? now + LeafLifetime : new DateTimeOffset(ca.NotAfter);
        keyPem = key.ExportPkcs8PrivateKeyPem();
        return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
    }

    private static OidCollection Oids(string[] values)
    {
        var oids = new OidCollection();
        foreach (string value in values) oids.Add(new Oid(value));
        return oids;
    }

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0) : [];

    /// <summary>Writes through a temporary file and a rename, so the coordinator never reads a half-written list.</summary>
    private static void Replace(string path, IEnumerable<string> lines)
    {
        string temporary = path + ".tmp";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
    }

    private static void Write(string path, string pem) => File.WriteAllText(path, pem + "\n");

    private static void WriteSecret(string path, string pem)
    {
        File.WriteAllText(path, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, pem + "\n");
    }
}
