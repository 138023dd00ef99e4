using Grpc.Core;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Coordinator.Services;
using PoolCompress.Learning;
using PoolCompress.Protos;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>What the coordinator says or refuses at start-up and at join, before any round: exposure and codecs.</summary>
public sealed class SecureDefaultsTests
{
    private const string FederationCodec = "topk:0.02:global>ternary;whole=q:4";

    private static readonly FederationMembership Anyone = FederationMembership.For(new FederationSettings(), identitiesProven: false);

    [Fact]
    public void Listening_beyond_loopback_without_tls_and_with_a_shared_token_warns_of_both()
    {
        var warnings = ExposureWarnings.For(new CoordinatorOptions { ListenAddress = "0.0.0.0", Token = "shared" }, Anyone).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("without TLS", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("shared --token", StringComparison.Ordinal));
    }

    /// <summary>The warning says what a token holder can do: which ids it may take, and how many at once.</summary>
    [Fact]
    public void The_shared_token_warning_says_which_ids_a_holder_can_take()
    {
        var options = new CoordinatorOptions { ListenAddress = "0.0.0.0", Token = "shared", Tls = { CertificatePath = "server.pem", KeyPath = "server.key" } };
        var listed = FederationMembership.For(new FederationSettings { Members = "site-b,site-a" }, identitiesProven: false);

        string open = Assert.Single(ExposureWarnings.For(options, Anyone));
        string limited = Assert.Single(ExposureWarnings.For(options, listed));

        Assert.Contains("whoever holds it can join as any client id (give --members", open, StringComparison.Ordinal);
        Assert.Contains("whoever holds it can join as any member (site-a, site-b (--members)), as many at once as it likes", limited, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("site-a, site-b", false, "site-b", true)]
    [InlineData("site-a, site-b", false, "client-0000", false)]
    [InlineData("site-a", true, "client-0000", false)]
    [InlineData("client-0005", true, "client-0005", true)]
    [InlineData(null, true, "client-0002", true)]
    [InlineData(null, true, "client-0003", false)]
    [InlineData(null, false, "client-0003", true)]
    [InlineData(null, false, "anything", true)]
    public void Membership_is_the_members_list_else_the_clients_ids_with_proven_identities_else_anyone(string? members, bool proven, string clientId, bool member)
    {
        var membership = FederationMembership.For(new FederationSettings { Clients = 3, Members = members }, proven);

        Assert.Equal(member, membership.Includes(clientId));
        if (member) membership.Admit(clientId);
        else Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => membership.Admit(clientId)).StatusCode);
    }

    [Theory]
    [InlineData("site-a,site a", "members: 'site a' is not a client id")]
    [InlineData("site-a,site-b,site-a", "members: 'site-a' is listed twice")]
    [InlineData("site-a", "members lists 1 client id(s), fewer than min-clients (2)")]
    [InlineData(" , ", "members lists 0 client id(s)")]
    public void A_members_list_with_a_bad_id_a_duplicate_or_too_few_ids_is_refused_at_start_up(string members, string problem)
    {
        var result = new FederationSettingsValidator().Validate(null, new FederationSettings { Members = members, MinClients = 2 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Listening_beyond_loopback_without_any_client_authentication_warns()
    {
        var warnings = ExposureWarnings.For(new CoordinatorOptions { ListenAddress = "::", Tls = { CertificatePath = "server.pem", KeyPath = "server.key" } }, Anyone);

        Assert.Contains("without client authentication", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", null)]
    [InlineData("::1", null)]
    [InlineData("0.0.0.0", "clients.tokens")]
    public void Loopback_or_tls_with_per_client_identities_is_quiet(string address, string? clientTokens)
    {
        var options = new CoordinatorOptions { ListenAddress = address, Token = "shared", ClientTokensPath = clientTokens };
        if (clientTokens is not null) (options.Tls.CertificatePath, options.Tls.KeyPath) = ("server.pem", "server.key");

        Assert.Empty(ExposureWarnings.For(options, Anyone));
    }

    [Theory]
    [InlineData("client-0000", true)]
    [InlineData("client-0002", true)]
    [InlineData("client-0003", false)]
    [InlineData("client-9999", false)]
    [InlineData("client-2", false)]
    [InlineData("client-00001", false)]
    [InlineData("client-+001", false)]
    [InlineData("client- 001", false)]
    [InlineData("client-2147483648", false)]
    [InlineData("alice", false)]
    public void A_federation_of_three_has_exactly_the_members_its_client_processes_are_named(string clientId, bool member) =>
        Assert.Equal(member, FederationMembers.Includes(3, clientId));

    [Fact]
    public void Clipping_is_adaptive_by_default_and_off_or_fixed_only_when_asked()
    {
        Assert.Equal(AdaptiveClipping.Default, new FederationSettings().ParseAdaptiveClipping());
        Assert.Null(new FederationSettings().FirstClipBound());
        Assert.Null(new FederationSettings { AdaptiveClipNorm = AdaptiveClipping.Off }.ParseAdaptiveClipping());
        Assert.Null(new FederationSettings { ClipNorm = 1 }.ParseAdaptiveClipping());
        Assert.Null(new FederationSettings { ClipNorm = 1, DpNoiseMultiplier = 1 }.ParseAdaptiveClipping());
        Assert.Equal(3, new FederationSettings().WeightCap);
    }

    [Fact]
    public void A_client_that_announces_codecs_without_the_federations_stages_is_refused_at_join_naming_them()
    {
        var join = Join("none", "topk", "fp16");

        var refusal = Assert.Throws<RpcException>(() => JoinRequests.Check(join, DataSpec.Digits, FederationCodec));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
        Assert.Contains("uses ternary, q, which the client does not announce", refusal.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topk,ternary,q")]
    [InlineData("")]
    public void A_client_that_announces_the_federations_stages_or_none_joins(string codecs) =>
        JoinRequests.Check(Join(codecs.Split(',', StringSplitOptions.RemoveEmptyEntries)), DataSpec.Digits, FederationCodec);

    private static JoinRequest Join(params string[] codecs)
    {
        var join = new JoinRequest { ClientId = "client-0", ProtocolVersion = JoinRequests.ProtocolVersion, SampleCount = 10 };
        join.Codecs.Add(codecs);
        return join;
    }
}
