using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PoolCompress.Protos;

/// <summary>
/// Trust between a federation's coordinator and its clients: a certificate counts only when it chains to the
/// federation's own CA (never the system store), and a client certificate names its client as a SAN URI
/// <c>poolcompress://client/ID</c>. Shared by both sides, since a client and its coordinator must read it alike.
/// </summary>
public static class FederationTrust
{
    public const string ClientUriPrefix = "poolcompress://client/";
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Whether <paramref name="certificate"/> chains to <paramref name="authority"/> alone and may be used for <paramref name="usageOid"/>.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, string usageOid)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // Revocation is the coordinator's revocation list, checked on every call; there is no CRL endpoint to ask.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usageOid));
        return chain.Build(certificate);
    }

    /// <summary>The client id a client certificate names, or null when it names none (or more than one).</summary>
    public static string? ClientIdOf(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => Uris(san.RawData))
            .Where(uri => uri.StartsWith(ClientUriPrefix, StringComparison.Ordinal))
            .Select(uri => uri[ClientUriPrefix.Length..])
            .ToList();
        return names.Count == 1 && names[0].Length > 0 ? names[0] : null;
    }

    /// <summary>The uniformResourceIdentifier entries ([6] IA5String) of a subjectAltName; .NET enumerates only DNS names and IPs.</summary>
    private static List<string> Uris(byte[] subjectAltName)
    {
        var uris = new List<string>();
        try
        {
            var names = new AsnReader(subjectAltName, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag)) uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                else names.ReadEncodedValue();
            }
        }
        catch (AsnContentException)
        {
            return [];
        }
        return uris;
    }

    public static string ClientUri(string clientId) => ClientUriPrefix + clientId;
}
