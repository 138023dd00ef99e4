using Grpc.Core;
using PoolCompress.Protos.V1;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// What per-client tokens promise, checked from outside against a real coordinator: a token acts only as its own id
/// and only for a member, and a member's claim of a huge sample count buys it a bounded share of the model's change.
/// </summary>
public sealed class PerClientCredentialTests(TokenFederationProcess federation) : IClassFixture<TokenFederationProcess>
{
    private const float Step = 1e-3f;
    private const long HonestSamples = 200;

    /// <summary>client-0000's token, under client-0001's id: its join, task request and upload are each refused.</summary>
    [Fact]
    public async Task A_clients_token_under_another_members_id_is_refused_on_every_call()
    {
        using var impostor = new ThirdPartyClient(federation.Address, TokenFederationProcess.IdOf(1), federation.TokenOf(TokenFederationProcess.IdOf(0)));
        var calls = new Func<Task>[]
        {
            () => impostor.JoinAsync(HonestSamples),
            () => impostor.Rpc.GetTask(impostor.TaskRequest()).ResponseStream.ReadAllAsync().ToListAsync().AsTask(),
            async () =>
            {
                var header = new UpdateHeader { ClientId = impostor.ClientId, Round = 1, PayloadBytes = 8, LayoutFingerprint = 1 };
                if ((await impostor.PushAsync(header, [])).Error is { } error) throw error;
            },
        };
        foreach (var call in calls)
        {
            var refusal = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
            Assert.Contains("authenticated as client 'client-0000', which may act only as itself, not as 'client-0001'", refusal.Status.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>A token <c>certs issue</c> made for an id past <c>--clients</c> proves that id, which is no member.</summary>
    [Fact]
    public async Task A_valid_token_for_an_id_outside_the_federation_is_refused_at_join()
    {
        string outsider = TokenFederationProcess.IdOf(TokenFederationProcess.Members);
        using var client = new ThirdPartyClient(federation.Address, outsider, federation.TokenOf(outsider));
        var refusal = await Assert.ThrowsAsync<RpcException>(() => client.JoinAsync(HonestSamples));
        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Contains($"client '{outsider}' is not a member of this federation", refusal.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// client-0000 claims 2^63−1 samples beside two members of 200; each sends the same step on its own half of the
    /// coordinates (the claimant the even ones), so the model's change there measures each one's weight. The default
    /// cap (3 × the median weight) holds the claimant to 3/(n+2) = 60 % of round 1's change; uncapped it would be 99.9 %.
    /// </summary>
    [Fact]
    public async Task A_member_claiming_a_huge_sample_count_gets_at_most_the_default_share_of_the_change()
    {
        var clients = Enumerable.Range(0, TokenFederationProcess.Members)
            .Select(i => new ThirdPartyClient(federation.Address, TokenFederationProcess.IdOf(i), federation.TokenOf(TokenFederationProcess.IdOf(i)))).ToList();
        try
        {
            await Task.WhenAll(clients.Select((client, i) => client.JoinAsync(i == 0 ? long.MaxValue : HonestSamples)));
            var tasks = await Task.WhenAll(clients.Select(client => client.NextTrainTaskAsync()));
            await Task.WhenAll(clients.Select((client, i) => PushHalfAsync(client, tasks[i], even: i == 0)));
            var next = await clients[1].NextTrainTaskAsync();

            Assert.Equal(tasks[1].Header.ModelVersion + 1, next.Header.ModelVersion);
            double claimant = MeanChange(tasks[1].Model, next.Model, even: true);
            double honest = MeanChange(tasks[1].Model, next.Model, even: false) / (TokenFederationProcess.Members - 1);
            double share = claimant / (claimant + (TokenFederationProcess.Members - 1) * honest);
            Assert.True(share <= 3.0 / (TokenFederationProcess.Members + 2) + 1e-3, $"the claimant owned {share:P2} of the change\n{federation.Output}");
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static async Task PushHalfAsync(ThirdPartyClient client, TrainTask task, bool even)
    {
        byte[] payload = client.DenseUpdate(i => (i % 2 == 0) == even ? Step : 0);
        var (receipt, error) = await client.PushAsync(client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        Assert.True(receipt?.Accepted, error?.Status.ToString());
    }

    /// <summary>The mean change of the model's even (or odd) coordinates, in steps.</summary>
    private static double MeanChange(float[] before, float[] after, bool even) =>
        Enumerable.Range(0, before.Length).Where(i => (i % 2 == 0) == even).Average(i => ((double)after[i] - before[i]) / Step);
}
