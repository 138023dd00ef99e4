using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Client;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Clients across sites prove who they are, with certificates from the federation CA (made by the real <c>certs</c>
/// code) or per-client tokens, and may act only as themselves; a revoked one is refused at its next call.
/// </summary>
public sealed class ClientIdentityTests : IDisposable
{
    private const string Alice = "client-0000";
    private const string Bob = "client-0001";
    private const string Stranger = "client-9999";

    private readonly string _root = Directory.CreateTempSubdirectory("poolcompress-identity-").FullName;

    /// <summary>A federation directory with certificates for <see cref="Alice"/> and <see cref="Bob"/>; Alice's token with <paramref name="withTokens"/>.</summary>
    private FederationAuthority Authority(string name, bool withTokens = false) => Authority(name, withTokens, out _);

    private FederationAuthority Authority(string name, bool withTokens, out string? aliceToken)
    {
        var authority = new FederationAuthority(new FederationAuthorityFiles(Path.Combine(_root, name)));
        authority.Init(["localhost", "127.0.0.1"]);
        aliceToken = authority.Issue(Alice, withTokens);
        authority.Issue(Bob, withTokens);
        return authority;
    }

    private static Dictionary<string, string?> MutualTls(FederationAuthorityFiles files) => new()
    {
        ["Coordinator:Tls:CertificatePath"] = files.CoordinatorCertificate,
        ["Coordinator:Tls:KeyPath"] = files.CoordinatorKey,
        ["Coordinator:Tls:ClientCaPath"] = files.CaCertificate,
    };

    private static ClientTls TlsFor(FederationAuthorityFiles trusted, FederationAuthorityFiles? issuer, string? clientId) =>
        clientId is null || issuer is null
            ? new ClientTls(trusted.CaCertificate)
            : new ClientTls(trusted.CaCertificate, issuer.ClientCertificate(clientId), issuer.ClientKey(clientId));

    private static readonly StatusCode[] TransportFailures = [StatusCode.Unavailable, StatusCode.Internal];

    private static async Task<RpcException> Refused(Task call) => await Assert.ThrowsAsync<RpcException>(() => call);

    [Fact]
    public async Task A_client_certificate_admits_its_own_id_only()
    {
        var files = Authority("federation").Files;
        await using var coordinator = await TestCoordinator.StartAsync(MutualTls(files));
        Assert.Equal(Uri.UriSchemeHttps, coordinator.Address.Scheme);

        using var alice = new RawClient(coordinator.Address, Alice, TlsFor(files, files, Alice));
        await alice.JoinAsync(100);
        using var aliceAsBob = new RawClient(coordinator.Address, Bob, TlsFor(files, files, Alice));
        var join = await Refused(aliceAsBob.JoinAsync(100));
        var (_, push) = await aliceAsBob.PushAsync(new UpdateHeader { ClientId = Bob, Round = 1, PayloadBytes = 4 }, []);

        Assert.Equal(StatusCode.PermissionDenied, join.StatusCode);
        Assert.Contains($"'{Alice}'", join.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, push?.StatusCode);
        Assert.Equal(1, (await coordinator.Federation.GetStatus()).JoinedClients);
    }

    /// <summary>Without --members, who may join is who certs issue recorded: client-9999 in a federation of 3 clients too.</summary>
    [Fact]
    public async Task A_certificate_issued_for_an_id_past_the_client_count_joins()
    {
        var authority = Authority("federation");
        authority.Issue(Stranger, withToken: false);
        await using var coordinator = await TestCoordinator.StartAsync(MutualTls(authority.Files));

        using var stranger = new RawClient(coordinator.Address, Stranger, TlsFor(authority.Files, authority.Files, Stranger));
        await stranger.JoinAsync(100);

        Assert.Equal(1, (await coordinator.Federation.GetStatus()).JoinedClients);
    }

    /// <summary>
    /// A certificate the federation CA signed but certs issue never recorded (made with the CA key elsewhere), for an id
    /// within --clients: the id is no member, whatever the certificate's signature says.
    /// </summary>
    [Fact]
    public async Task A_valid_certificate_whose_id_certs_issue_never_recorded_is_refused_before_it_can_upload()
    {
        const string unrecorded = "client-0002";
        var authority = Authority("federation");
        string recorded = File.ReadAllText(authority.Files.Issued);
        authority.Issue(unrecorded, withToken: false);
        File.WriteAllText(authority.Files.Issued, recorded);
        await using var coordinator = await TestCoordinator.StartAsync(MutualTls(authority.Files));

        using var client = new RawClient(coordinator.Address, unrecorded, TlsFor(authority.Files, authority.Files, unrecorded));
        await AssertNotAMember(coordinator, client, unrecorded);
    }

    [Fact]
    public async Task Client_certificates_without_members_or_a_record_of_issued_ids_stop_the_coordinator_before_it_listens()
    {
        var files = Authority("federation").Files;
        var configuration = MutualTls(files);
        configuration["Coordinator:Tls:IssuedListPath"] = Path.Combine(_root, "no-such-issued.txt");

        var failure = Assert.Throws<OptionsValidationException>(() => CoordinatorHost.Build(configuration));

        Assert.Contains("no-such-issued.txt", Assert.Single(failure.Failures));
        configuration["Federation:Members"] = $"{Alice},{Bob}";
        await using var listed = CoordinatorHost.Build(configuration);
    }

    [Fact]
    public async Task A_valid_client_token_for_an_id_outside_the_federation_is_refused_before_it_can_upload()
    {
        var authority = Authority("federation", withTokens: true);
        string token = authority.Issue(Stranger, withToken: true)!;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:ClientTokensPath"] = authority.Files.ClientTokens,
        });

        using var stranger = new RawClient(coordinator.Address, Stranger, token: token);
        await AssertNotAMember(coordinator, stranger, Stranger);
    }

    /// <summary>The test coordinator's federation has 3 clients, client-0000 to client-0002.</summary>
    private static async Task AssertNotAMember(TestCoordinator coordinator, RawClient stranger, string strangerId)
    {
        var join = await Refused(stranger.JoinAsync(100));
        var task = await Refused(stranger.NextTrainTask());
        var (_, push) = await stranger.PushAsync(new UpdateHeader { ClientId = strangerId, Round = 1, PayloadBytes = 4 }, []);

        Assert.Equal(StatusCode.PermissionDenied, join.StatusCode);
        Assert.Contains($"client '{strangerId}' is not a member", join.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, task.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, push?.StatusCode);
        Assert.Equal(0, (await coordinator.Federation.GetStatus()).JoinedClients);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_or_none_is_refused()
    {
        var files = Authority("federation").Files;
        var stranger = Authority("stranger").Files;
        await using var coordinator = await TestCoordinator.StartAsync(MutualTls(files));

        using var foreign = new RawClient(coordinator.Address, Alice, TlsFor(files, stranger, Alice));
        var handshake = await Refused(foreign.JoinAsync(100));
        using var anonymous = new RawClient(coordinator.Address, Alice, TlsFor(files, null, null));
        var missing = await Refused(anonymous.JoinAsync(100));
        using var distrustful = new RawClient(coordinator.Address, Alice, TlsFor(stranger, files, Alice));
        var serverDistrusted = await Refused(distrustful.JoinAsync(100));

        // The TLS handshake fails: the coordinator accepts client certificates from its federation CA alone. Under TLS
        // 1.3 the client may already send its request before the coordinator's alert arrives, so it fails as either.
        Assert.Contains(handshake.StatusCode, TransportFailures);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("client certificate", missing.Status.Detail);
        // And a client trusts no coordinator certificate but one from its own federation CA.
        Assert.Contains(serverDistrusted.StatusCode, TransportFailures);
        Assert.Contains("SSL", serverDistrusted.Status.Detail);
        Assert.Equal(0, (await coordinator.Federation.GetStatus()).JoinedClients);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_client_process_that_does_not_trust_the_coordinators_certificate_says_why_once_and_exits_4(bool withForeignCa)
    {
        var files = Authority("federation").Files;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:Tls:CertificatePath"] = files.CoordinatorCertificate,
            ["Coordinator:Tls:KeyPath"] = files.CoordinatorKey,
        });
        string[] trust = withForeignCa ? ["--ca", Authority("stranger").Files.CaCertificate] : [];

        // A liveness bound: the client has nothing to wait for once its handshake has failed.
        var client = await CliProcess.RunAsync(TimeSpan.FromMinutes(2),
            ["client", "--coordinator", coordinator.Address.ToString(), "--client-index", "0", "--clients", "3", "--dataset", "synthetic", .. trust]);

        Assert.Equal(4, client.ExitCode);
        string line = Assert.Single(client.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--ca", line);
        Assert.Contains(withForeignCa ? "not issued by the federation CA" : "not trusted by this machine's certificate store", line);
        Assert.Equal(0, (await coordinator.Federation.GetStatus()).JoinedClients);
    }

    [Fact]
    public async Task A_revoked_client_certificate_is_refused_at_its_next_call()
    {
        var authority = Authority("federation");
        await using var coordinator = await TestCoordinator.StartAsync(MutualTls(authority.Files));
        using var alice = new RawClient(coordinator.Address, Alice, TlsFor(authority.Files, authority.Files, Alice));
        using var bob = new RawClient(coordinator.Address, Bob, TlsFor(authority.Files, authority.Files, Bob));
        await alice.JoinAsync(100);

        Assert.Equal(1, authority.Revoke(Alice));
        var revoked = await Refused(alice.JoinAsync(100));
        await bob.JoinAsync(100);

        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.Contains("revoked", revoked.Status.Detail);
    }

    [Fact]
    public async Task A_client_token_is_bound_to_its_id_and_removing_it_refuses_the_client()
    {
        var authority = Authority("federation", withTokens: true, out string? token);
        string aliceToken = token!;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:ClientTokensPath"] = authority.Files.ClientTokens,
        });

        using var alice = new RawClient(coordinator.Address, Alice, token: aliceToken);
        await alice.JoinAsync(100);
        using var aliceAsBob = new RawClient(coordinator.Address, Bob, token: aliceToken);
        var impersonation = await Refused(aliceAsBob.JoinAsync(100));
        using var forged = new RawClient(coordinator.Address, Bob, token: Bob + aliceToken[Alice.Length..]);
        var forgery = await Refused(forged.JoinAsync(100));
        using var anonymous = new RawClient(coordinator.Address, Alice);
        var missing = await Refused(anonymous.JoinAsync(100));
        authority.Revoke(Alice);
        var revoked = await Refused(alice.JoinAsync(100));

        Assert.Equal(StatusCode.PermissionDenied, impersonation.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, forgery.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, revoked.StatusCode);
        Assert.DoesNotContain(aliceToken, File.ReadAllText(authority.Files.ClientTokens));
    }

    [Fact]
    public async Task Bytes_are_counted_below_TLS()
    {
        var files = Authority("federation").Files;
        async Task<long> JoinBytes(Dictionary<string, string?> configuration, ClientTls? tls)
        {
            await using var coordinator = await TestCoordinator.StartAsync(configuration);
            using (var alice = new RawClient(coordinator.Address, Alice, tls)) await alice.JoinAsync(100);
            return coordinator.App.Services.GetRequiredService<TrafficMeter>().BytesReceived;
        }

        long cleartext = await JoinBytes([], null);
        long overTls = await JoinBytes(MutualTls(files), TlsFor(files, files, Alice));

        // The client's handshake (its hello, its certificate of ~600 bytes, its key share and proof) was counted too.
        Assert.True(overTls > cleartext + 600, $"over TLS {overTls} bytes, in cleartext {cleartext}");
    }

    [Fact]
    public async Task A_federation_over_mutual_TLS_completes_and_counts_its_bytes_at_the_socket()
    {
        var files = Authority("federation").Files;
        var configuration = MutualTls(files);
        configuration["Federation:Clients"] = "2";
        configuration["Federation:MinClients"] = "2";
        configuration["Federation:Rounds"] = "1";
        configuration["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout;
        await using var coordinator = await TestCoordinator.StartAsync(configuration);

        var clients = EndToEndFederationTests.StartClients(coordinator.Address, 2, tls: i => TlsFor(files, files, ClientShards.ClientId(i)));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await Task.WhenAll(clients);

        long denseUpdate = coordinator.App.Services.GetRequiredService<CoordinatorModel>().ParameterCount * 4L;
        var round = Assert.Single(status.History);
        Assert.Equal(2, round.Participants);
        Assert.InRange(round.UplinkBytes, 2 * denseUpdate, 2 * denseUpdate + 2 * denseUpdate / 10);
        // The clients train round 1 on the seeded initial model they built: only the handshakes and framing came down.
        Assert.InRange(round.DownlinkBytes, 1, 2 * denseUpdate / 10);
    }

    [Fact]
    public void Incomplete_identity_or_TLS_settings_stop_the_coordinator_before_it_listens()
    {
        var files = Authority("federation").Files;
        var failure = Assert.Throws<OptionsValidationException>(() => CoordinatorHost.Build(new Dictionary<string, string?>
        {
            ["Coordinator:Tls:CertificatePath"] = files.CoordinatorCertificate,
            ["Coordinator:ClientTokensPath"] = Path.Combine(_root, "no-such-file"),
            ["Coordinator:Orleans:Tls:CertificatePath"] = files.CoordinatorCertificate,
            ["Coordinator:Orleans:Tls:KeyPath"] = files.CoordinatorKey,
        }));

        Assert.Contains(failure.Failures, f => f.Contains("--tls-key"));
        Assert.Contains(failure.Failures, f => f.Contains("no-such-file"));
        Assert.Contains(failure.Failures, f => f.Contains("CaPath"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
