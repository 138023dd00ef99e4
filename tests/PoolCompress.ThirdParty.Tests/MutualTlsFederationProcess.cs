using System.Security.Cryptography.X509Certificates;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// A real coordinator process with mutual TLS, provisioned as an operator would: <c>certs init</c>, <c>certs issue</c>
/// for <see cref="Members"/> clients and one more that is then revoked (<c>certs revoke</c>), and the coordinator
/// started with <c>--tls-cert --tls-key --client-ca</c> and no <c>--members</c>, so who may join is who was issued.
/// <c>--clients</c> counts two more ids than are issued, the last (<see cref="Unrecorded"/>) never issued: it is no
/// member, though inside <c>client-0000</c> to <c>client-(N-1)</c>. Beside it: another federation's directory (a
/// foreign CA). Its honest members have joined; every round selects all of them.
/// </summary>
public sealed class MutualTlsFederationProcess : IAsyncLifetime
{
    public const int Members = 3;
    public static readonly string Revoked = TokenFederationProcess.IdOf(Members);
    public static readonly string Unrecorded = TokenFederationProcess.IdOf(Members + 1);
    private readonly string _directory = Directory.CreateTempSubdirectory("poolcompress-third-party-mtls-").FullName;
    private WatchedProcess? _process;

    internal Uri Address { get; private set; } = null!;

    public string Output => _process?.Output ?? "";

    /// <summary>The federation's directory, as <c>certs init</c> wrote it.</summary>
    public string Authority => Path.Combine(_directory, "federation");

    /// <summary>Another federation's directory, whose CA this coordinator does not trust.</summary>
    public string Foreign => Path.Combine(_directory, "foreign");

    internal IReadOnlyList<ThirdPartyClient> Honest { get; private set; } = [];

    public string CaCertificate => Path.Combine(Authority, "ca.crt");

    /// <summary>The certificate and key <c>certs issue</c> wrote for <paramref name="clientId"/> in <paramref name="directory"/>.</summary>
    public static X509Certificate2 IssuedTo(string directory, string clientId) =>
        ThirdPartyTls.Load(Path.Combine(directory, "clients", clientId + ".crt"), Path.Combine(directory, "clients", clientId + ".key"));

    /// <summary>A client that trusts this federation's CA and presents <paramref name="certificate"/> (or none) under <paramref name="clientId"/>.</summary>
    internal ThirdPartyClient ClientAs(string clientId, X509Certificate2? certificate) =>
        new(Address, clientId, handler: ThirdPartyTls.Handler(CaCertificate, certificate));

    public async Task InitializeAsync()
    {
        await TokenFederationProcess.RunAsync("certs", "init", "--out", Authority);
        await TokenFederationProcess.RunAsync("certs", "init", "--out", Foreign);
        foreach (string id in Enumerable.Range(0, Members + 1).Select(TokenFederationProcess.IdOf))
        {
            await TokenFederationProcess.RunAsync("certs", "issue", "--dir", Authority, "--client", id);
            await TokenFederationProcess.RunAsync("certs", "issue", "--dir", Foreign, "--client", id);
        }
        await TokenFederationProcess.RunAsync("certs", "revoke", "--dir", Authority, "--client", Revoked);
        _process = WatchedProcess.Start("coordinator", new Dictionary<string, string>(), ["coordinator", "--dataset", "synthetic",
            "--clients", $"{Members + 2}", "--min-clients", $"{Members}", "--rounds", "1000",
            "--tls-cert", Path.Combine(Authority, "coordinator.crt"), "--tls-key", Path.Combine(Authority, "coordinator.key"), "--client-ca", CaCertificate,
            "--port", "0", "--silo-port", "0", "--gateway-port", "0", "--out", Path.Combine(_directory, "run")]);
        Address = await _process.ListeningAsync();
        Honest = [.. Enumerable.Range(0, Members).Select(TokenFederationProcess.IdOf).Select(id => ClientAs(id, IssuedTo(Authority, id)))];
        await Task.WhenAll(Honest.Select(client => client.JoinAsync(200)));
    }

    public Task DisposeAsync()
    {
        foreach (var client in Honest) client.Dispose();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
