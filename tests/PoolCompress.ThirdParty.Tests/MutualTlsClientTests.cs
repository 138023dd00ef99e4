using Grpc.Core;
using PoolCompress.Protos.V1;
// TestSupport brings Orleans, whose own TaskRequest would be ambiguous.
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// What mutual TLS promises, checked from outside against a coordinator provisioned as an operator would
/// (<see cref="MutualTlsFederationProcess"/>): a caller with another member's certificate, a certificate for an id
/// <c>certs issue</c> never recorded, a revoked, expired or foreign one, none, or no TLS at all is refused on
/// <c>Join</c>, <c>GetTask</c> and <c>PushUpdate</c> (an update of 1e30 everywhere), and the round in progress completes
/// with the honest members' updates alone: the model moves by exactly their step.
/// </summary>
public sealed class MutualTlsClientTests(MutualTlsFederationProcess federation) : IClassFixture<MutualTlsFederationProcess>
{
    private const float HonestStep = 1e-3f;
    private const string Member = "client-0001";
    /// <summary>A failed handshake has no gRPC status of its own: the call ends as the connection did.</summary>
    private static readonly StatusCode[] Handshake = [StatusCode.Unavailable, StatusCode.Internal];

    public static TheoryData<string, StatusCode[], string> Callers => new()
    {
        { "another-members-certificate", [StatusCode.PermissionDenied], "authenticated as client 'client-0000', which may act only as itself, not as 'client-0001'" },
        { "certificate-never-recorded", [StatusCode.PermissionDenied], $"client '{MutualTlsFederationProcess.Unrecorded}' is not a member of this federation" },
        { "revoked-certificate", [StatusCode.Unauthenticated], "is revoked" },
        { "no-certificate", [StatusCode.Unauthenticated], "requires a client certificate" },
        { "expired-certificate", Handshake, "" },
        { "foreign-ca-certificate", Handshake, "" },
        { "plaintext", Handshake, "" },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task A_hostile_caller_is_refused_on_every_call_and_the_round_completes_with_the_honest_step(string kind, StatusCode[] expected, string detail)
    {
        var tasks = await Task.WhenAll(federation.Honest.Select(client => client.NextTrainTaskAsync()));
        using var hostile = HostileClient(kind);

        foreach (var refusal in await CallsOfAsync(hostile, tasks[0].Header))
        {
            Assert.True(expected.Contains(refusal.StatusCode), $"{kind}: {refusal.Status}\n{federation.Output}");
            Assert.Contains(detail, refusal.Status.Detail, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(refusal.Status.Detail));
        }
        await Task.WhenAll(federation.Honest.Select((client, i) => PushStepAsync(client, tasks[i])));
        var next = await federation.Honest[0].NextTrainTaskAsync();

        Assert.Equal(tasks[0].Header.ModelVersion + 1, next.Header.ModelVersion);
        Assert.All(Enumerable.Range(0, next.Model.Length), i => Assert.Equal(HonestStep, next.Model[i] - tasks[0].Model[i], 1e-6));
    }

    private ThirdPartyClient HostileClient(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        string owner = TokenFederationProcess.IdOf(0);
        return kind switch
        {
            "another-members-certificate" => federation.ClientAs(Member, MutualTlsFederationProcess.IssuedTo(federation.Authority, owner)),
            "certificate-never-recorded" => federation.ClientAs(MutualTlsFederationProcess.Unrecorded, ThirdPartyTls.Sign(federation.CaCertificate, CaKey, MutualTlsFederationProcess.Unrecorded, now.AddDays(-1), now.AddDays(30))),
            "revoked-certificate" => federation.ClientAs(MutualTlsFederationProcess.Revoked, MutualTlsFederationProcess.IssuedTo(federation.Authority, MutualTlsFederationProcess.Revoked)),
            "no-certificate" => federation.ClientAs(Member, null),
            "expired-certificate" => federation.ClientAs(Member, ThirdPartyTls.Sign(federation.CaCertificate, CaKey, Member, now.AddDays(-30), now.AddDays(-1))),
            "foreign-ca-certificate" => federation.ClientAs(Member, MutualTlsFederationProcess.IssuedTo(federation.Foreign, Member)),
            "plaintext" => new ThirdPartyClient(new UriBuilder(federation.Address) { Scheme = Uri.UriSchemeHttp }.Uri, Member),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private string CaKey => Path.Combine(federation.Authority, "ca.key");

    /// <summary>
    /// A join, a task request and an upload of 1e30 everywhere for the round in progress, each well-formed for the
    /// federation's model as a member sees it: each one's refusal.
    /// </summary>
    private async Task<RpcException[]> CallsOfAsync(ThirdPartyClient hostile, TaskHeader task)
    {
        var member = federation.Honest[0];
        var join = await Assert.ThrowsAsync<RpcException>(() => hostile.JoinAsync(200));
        var request = new TaskRequest { ClientId = hostile.ClientId, LayoutFingerprint = member.LayoutFingerprint };
        var poll = await Assert.ThrowsAsync<RpcException>(() => hostile.Rpc.GetTask(request).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
        byte[] huge = member.DenseUpdate(_ => 1e30f);
        var header = member.HeaderFor(task, huge.Length);
        header.ClientId = hostile.ClientId;
        var (receipt, push) = await hostile.PushAsync(header, Chunks.Split(huge));
        Assert.Null(receipt);
        return [join, poll, push!];
    }

    private static async Task PushStepAsync(ThirdPartyClient client, TrainTask task)
    {
        byte[] payload = client.DenseUpdate(_ => HonestStep);
        var (receipt, error) = await client.PushAsync(client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        Assert.True(receipt?.Accepted, error?.Status.ToString());
    }
}
