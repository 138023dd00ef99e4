using Grpc.Core;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;
using PoolCompress.Coordinator.Services;
using PoolCompress.Learning;
using PoolCompress.Protos;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>What the coordinator says or refuses at start-up and at join, before any round: exposure and codecs.</summary>
public sealed class SecureDefaultsTests
{
    private const string FederationCodec = "topk:0.02:global>ternary;whole=q:4";

    [Fact]
    public void Listening_beyond_loopback_without_tls_and_with_a_shared_token_warns_of_both()
    {
        var warnings = ExposureWarnings.For(new CoordinatorOptions { ListenAddress = "0.0.0.0", Token = "shared" }).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("without TLS", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("shared --token", StringComparison.Ordinal));
    }

    [Fact]
    public void Listening_beyond_loopback_without_any_client_authentication_warns()
    {
        var warnings = ExposureWarnings.For(new CoordinatorOptions { ListenAddress = "::", Tls = { CertificatePath = "server.pem", KeyPath = "server.key" } });

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

        Assert.Empty(ExposureWarnings.For(options));
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
