using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>How this coordinator tells clients apart (shared token, per-client tokens, client certificates) and its TLS listener.</summary>
internal static class CoordinatorIdentity
{
    /// <summary>A client certificate or token proves one identity, which must be one of the federation's <paramref name="members"/>.</summary>
    public static IClientAuthenticator Authenticator(CoordinatorOptions options, FederationMembership members) =>
        !string.IsNullOrEmpty(options.Tls.ClientCaPath) ? new MembersOnlyAuthenticator(new CertificateAuthenticator(options.Tls.RevocationList), members)
        : !string.IsNullOrEmpty(options.ClientTokensPath) ? new MembersOnlyAuthenticator(new ClientTokenAuthenticator(options.ClientTokensPath), members)
        : new SharedTokenAuthenticator(options.Token);

    /// <summary>
    /// Who may join (<see cref="FederationMembership"/>). With client certificates and no <c>--members</c>, the ids
    /// <c>certs issue</c> recorded: a coordinator without that record would admit nobody, so it does not start.
    /// </summary>
    public static FederationMembership Membership(CoordinatorOptions options, FederationSettings settings)
    {
        if (settings.Members is not null || string.IsNullOrEmpty(options.Tls.ClientCaPath)) return FederationMembership.For(settings, ProvesIdentities(options));
        string issued = options.Tls.IssuedList;
        if (!File.Exists(issued))
            throw new OptionsValidationException(CoordinatorOptions.SectionName, typeof(CoordinatorOptions),
                [$"client certificates without --members admit the ids 'certs issue' recorded in '{issued}', which does not exist: give --issued the federation directory's {IssuedClients.DefaultFileName}, or list the members (--members ID,ID,...)"]);
        return FederationMembership.For(settings, identitiesProven: true, new IssuedClients(issued, options.Tls.RevocationList));
    }

    /// <summary>Whether each client proves one identity of its own (a certificate or a per-client token), rather than a shared token.</summary>
    public static bool ProvesIdentities(CoordinatorOptions options) =>
        !string.IsNullOrEmpty(options.Tls.ClientCaPath) || !string.IsNullOrEmpty(options.ClientTokensPath);

    /// <summary>
    /// TLS on a listener, added after the traffic counting so that bytes are counted below it. A client certificate
    /// is asked for, not required at the handshake (a client without one gets UNAUTHENTICATED with a message); one
    /// that is presented must chain to the federation CA alone, or the handshake fails.
    /// </summary>
    public static void UseTls(ListenOptions listen, TlsOptions tls)
    {
        var https = new HttpsConnectionAdapterOptions { ServerCertificate = X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath) };
        if (!string.IsNullOrEmpty(tls.ClientCaPath))
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(tls.ClientCaPath);
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.CheckCertificateRevocation = false;
            https.ClientCertificateValidation = (certificate, _, _) => FederationTrust.IsIssuedBy(certificate, authority, FederationTrust.ClientAuthentication);
        }
        listen.UseHttps(https);
    }

    /// <summary>Problems with the identity and TLS options, found before any listener is set up.</summary>
    public static IEnumerable<string> Problems(CoordinatorOptions o)
    {
        var tls = o.Tls;
        if (string.IsNullOrEmpty(tls.CertificatePath) != string.IsNullOrEmpty(tls.KeyPath))
            yield return "TLS needs both a certificate and its key (--tls-cert and --tls-key)";
        else if (tls.Enabled && LoadProblem(() => X509Certificate2.CreateFromPemFile(tls.CertificatePath!, tls.KeyPath)) is { } certificate)
            yield return $"TLS certificate '{tls.CertificatePath}' with key '{tls.KeyPath}' cannot be loaded: {certificate}";
        if (!string.IsNullOrEmpty(tls.ClientCaPath))
        {
            if (!tls.Enabled) yield return "client certificates (--client-ca) need TLS: set --tls-cert and --tls-key";
            if (LoadProblem(() => X509CertificateLoader.LoadCertificateFromFile(tls.ClientCaPath)) is { } ca)
                yield return $"client CA '{tls.ClientCaPath}' cannot be loaded: {ca}";
            if (!string.IsNullOrEmpty(o.ClientTokensPath)) yield return "choose one way for clients to prove who they are: client certificates (--client-ca) or client tokens (--client-tokens)";
        }
        if (!string.IsNullOrEmpty(o.ClientTokensPath) && !File.Exists(o.ClientTokensPath))
            yield return $"client token file '{o.ClientTokensPath}' does not exist (certs issue --token writes it)";
    }

    /// <summary>Why a certificate or key cannot be loaded, or null when it can.</summary>
    public static string? LoadProblem(Func<X509Certificate2> load)
    {
        try
        {
            load().Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return e.Message;
        }
    }
}
