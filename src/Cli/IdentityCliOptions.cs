using System.CommandLine;
using PoolCompress.Coordinator;

namespace PoolCompress.Cli;

/// <summary>The coordinator's TLS and client identity options (<c>certs init</c> writes the files they name).</summary>
internal sealed class IdentityCliOptions
{
    private const string Section = CoordinatorOptions.SectionName;
    private const string Tls = $"{Section}:{nameof(CoordinatorOptions.Tls)}";

    public Option<string> Certificate { get; } = new("--tls-cert") { Description = "Serve TLS only, with this certificate (PEM, e.g. DIR/coordinator.crt)" };
    public Option<string> Key { get; } = new("--tls-key") { Description = "The TLS certificate's private key (PEM, e.g. DIR/coordinator.key)" };
    public Option<string> ClientCa { get; } = new("--client-ca")
    {
        Description = "Require client certificates issued by this federation CA (PEM, e.g. DIR/ca.crt); each client acts only as the id its certificate names",
    };
    public Option<string> Revoked { get; } = new("--revoked") { Description = "Revoked client certificates (default: revoked.txt beside --client-ca)" };
    public Option<string> Issued { get; } = new("--issued")
    {
        Description = "Client ids certs issue recorded, who may join with a certificate when there is no --members (default: issued.txt beside --client-ca)",
    };
    public Option<string> ClientTokens { get; } = new("--client-tokens")
    {
        Description = "Hashed per-client token file (e.g. DIR/client-tokens.txt); each client presents its own token and acts only as itself",
    };

    public IEnumerable<Option> All => [Certificate, Key, ClientCa, Revoked, Issued, ClientTokens];

    public void AddTo(Dictionary<string, string?> configuration, ParseResult parse)
    {
        configuration.Put(parse, Certificate, $"{Tls}:{nameof(TlsOptions.CertificatePath)}");
        configuration.Put(parse, Key, $"{Tls}:{nameof(TlsOptions.KeyPath)}");
        configuration.Put(parse, ClientCa, $"{Tls}:{nameof(TlsOptions.ClientCaPath)}");
        configuration.Put(parse, Revoked, $"{Tls}:{nameof(TlsOptions.RevocationListPath)}");
        configuration.Put(parse, Issued, $"{Tls}:{nameof(TlsOptions.IssuedListPath)}");
        configuration.Put(parse, ClientTokens, $"{Section}:{nameof(CoordinatorOptions.ClientTokensPath)}");
    }
}
