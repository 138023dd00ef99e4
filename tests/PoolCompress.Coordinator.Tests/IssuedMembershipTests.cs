using Grpc.Core;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// With client certificates and no <c>--members</c>, the members are the ids <c>certs issue</c> recorded in the
/// federation directory and did not revoke, whatever <c>--clients</c> says (the real <c>certs</c> code writes the files).
/// </summary>
public sealed class IssuedMembershipTests : IDisposable
{
    private static readonly FederationSettings ThreeClients = new() { Clients = 3 };
    private readonly FederationAuthority _authority = new(new FederationAuthorityFiles(Directory.CreateTempSubdirectory("poolcompress-issued-").FullName));

    public IssuedMembershipTests()
    {
        _authority.Init(["localhost"]);
        foreach (string id in new[] { "client-0000", "client-0042", "site-a", "site-b" }) _authority.Issue(id, withToken: false);
        _authority.Revoke("site-b");
    }

    private FederationMembership Membership(FederationSettings settings) =>
        FederationMembership.For(settings, identitiesProven: true, new IssuedClients(_authority.Files.Issued, _authority.Files.Revoked));

    [Theory]
    [InlineData("client-0000", true)]
    [InlineData("client-0042", true)]
    [InlineData("site-a", true)]
    [InlineData("site-b", false)]
    [InlineData("client-0001", false)]
    [InlineData("client-9999", false)]
    public void The_members_are_the_issued_ids_not_revoked_whatever_the_client_count(string clientId, bool member) =>
        Assert.Equal(member, Membership(ThreeClients).Includes(clientId));

    [Fact]
    public void An_id_never_issued_is_refused_with_its_name_and_the_issued_ids()
    {
        var refusal = Assert.Throws<RpcException>(() => Membership(ThreeClients).Admit("client-0001"));

        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Equal("client 'client-0001' is not a member of this federation, whose members are client-0000, client-0042, site-a (issued by 'certs issue' and not revoked)",
            refusal.Status.Detail);
    }

    [Fact]
    public void A_client_issued_or_revoked_during_the_run_is_a_member_or_not_from_the_next_call()
    {
        var membership = Membership(ThreeClients);
        Assert.False(membership.Includes("site-c"));

        _authority.Issue("site-c", withToken: false);
        _authority.Revoke("site-a");
        _authority.Issue("site-b", withToken: false);

        Assert.True(membership.Includes("site-c"));
        Assert.False(membership.Includes("site-a"));
        Assert.True(membership.Includes("site-b"));
    }

    [Fact]
    public void The_operators_list_takes_precedence_over_the_issued_ids()
    {
        var membership = Membership(new FederationSettings { Clients = 3, Members = "site-a,client-0007" });

        Assert.True(membership.Includes("client-0007"));
        Assert.False(membership.Includes("client-0042"));
    }

    public void Dispose() => Directory.Delete(_authority.Files.Directory, recursive: true);
}
