using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Secure rounds over gRPC with members whose words the test chose: the model moves by exactly the mean of the
/// survivors' quantized values, whoever drops after sharing or after uploading; below the threshold the round fails
/// before anyone reveals; hostile stage messages are refused with a status and change nothing.
/// </summary>
public sealed class SecureAggregationTests
{
    [Fact]
    public async Task The_model_moves_by_the_survivors_mean_when_one_client_drops_after_sharing_and_another_after_its_masked_upload()
    {
        await using var coordinator = await StartAsync(6);
        var members = await JoinAsync(coordinator, 6);
        // Points follow the sorted ids: member i is point i + 1. Point 5 uploads and never reveals; point 6 never uploads.
        var outcomes = await Task.WhenAll(members.Select((m, i) => m.RunAsync(i switch
        {
            4 => SecureStage.Uploading,
            5 => SecureStage.Sharing,
            _ => SecureStage.Unmasking,
        })));

        Assert.Equal([1, 2, 3, 4, 5], outcomes[0]!.Survivors);
        Assert.Equal([6], outcomes[0]!.Dropped);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(5, status.History[0].Participants);
        // Counted at the socket: at least the five masked uploads and the thirty envelopes (each of six sealed for five neighbours).
        long protocol = 5L * MaskedWords.PackedBytes(members[0].Support.Length, members[0].Space) + 6 * 5 * ShareEnvelope.SealedBytes;
        Assert.InRange(status.History[0].UplinkBytes, protocol, 3 * protocol);
        await AssertModelMovedByTheMeanOf(coordinator, members[..5]);
        Dispose(members);
    }

    [Fact]
    public async Task Below_the_threshold_the_round_fails_before_anyone_reveals_and_the_model_stays()
    {
        await using var coordinator = await StartAsync(4);
        var members = await JoinAsync(coordinator, 4);
        // Four members: three neighbours each, threshold 2, and a secure round needs 3 masked uploads; two arrive.
        var uploads = members[..2].Select(async m =>
        {
            var packed = await m.ShareAsync(await m.AdvertiseAsync(m.Advertisement()));
            return await m.UploadAsync(m.UploadHeader(packed.Length), packed);
        }).ToArray();
        await Task.WhenAll(members[2..].Select(m => m.RunAsync(SecureStage.Sharing)));

        foreach (var (outcome, error) in await Task.WhenAll(uploads))
        {
            Assert.Null(outcome);
            Assert.Equal(StatusCode.Aborted, error!.StatusCode);
            Assert.Contains("fewer than the 3", error.Status.Detail);
        }
        var status = await coordinator.Federation.GetStatus();
        Assert.Equal(1, status.ModelVersion);
        Assert.Empty(status.History);
        Dispose(members);
    }

    [Fact]
    public async Task Hostile_stage_messages_are_refused_with_a_status_and_the_round_still_sums_exactly()
    {
        await using var coordinator = await StartAsync(3);
        var members = await JoinAsync(coordinator, 3);
        using var stranger = new RawClient(coordinator.Address, "stranger");

        var runs = members[1..].Select(m => m.RunAsync()).Prepend(RunHostile(members[0], stranger)).ToArray();
        await Task.WhenAll(runs);

        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await AssertModelMovedByTheMeanOf(coordinator, members);
        Dispose(members);
    }

    /// <summary>Lies at every stage before telling the truth (and a stranger pushes a plain update); each lie must be refused without spoiling the round.</summary>
    private static async Task<SecureOutcome?> RunHostile(SecureMember rogue, RawClient stranger)
    {
        var plain = await stranger.PushRefusedAsync(stranger.HeaderFor(rogue.Task, 0), []);
        Assert.Equal(StatusCode.FailedPrecondition, plain.StatusCode);
        var advertisement = rogue.Advertisement();
        await Refused(StatusCode.FailedPrecondition, stranger.Rpc.AdvertiseAsync(With(advertisement, a => a.ClientId = stranger.ClientId)).ResponseAsync);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.AdvertiseAsync(With(advertisement, a => a.MaskPublicKey = ByteString.CopyFrom(new byte[31]))).ResponseAsync);
        var shares = await rogue.AdvertiseAsync(advertisement);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.ShareKeysAsync(With(shares, s => s.Envelopes.RemoveAt(0))).ResponseAsync);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.ShareKeysAsync(With(shares, s => s.Recipients[0] = int.MaxValue)).ResponseAsync);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.ShareKeysAsync(With(shares, s => s.Envelopes[0] = ByteString.CopyFrom(new byte[147]))).ResponseAsync);
        var packed = await rogue.ShareAsync(shares);
        var (_, oversized) = await rogue.UploadAsync(rogue.UploadHeader(packed.Length + 1), packed);
        Assert.Equal(StatusCode.InvalidArgument, oversized?.StatusCode);
        var (outcome, error) = await rogue.UploadAsync(rogue.UploadHeader(packed.Length), packed);
        Assert.Null(error);
        var reveal = rogue.Reveal(outcome!);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.RevealAsync(With(reveal, r => r.Shares[0].Value = ByteString.CopyFrom(new byte[65]))).ResponseAsync);
        await Refused(StatusCode.InvalidArgument, rogue.Rpc.RevealAsync(With(reveal, r => r.Shares[0].Owner = -1)).ResponseAsync);
        await rogue.Rpc.RevealAsync(reveal);
        return outcome;
    }

    private static T With<T>(T message, Action<T> lie) where T : IMessage<T>, IDeepCloneable<T>
    {
        var copy = message.Clone();
        lie(copy);
        return copy;
    }

    private static async Task Refused<T>(StatusCode expected, Task<T> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(expected, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
    }

    /// <summary>Off the support the model did not move; on it, by the survivors' summed levels times the scale, over their number.</summary>
    [Fact]
    public async Task The_next_round_follows_the_models_last_step_at_a_support_the_plan_names_and_sums_there_exactly()
    {
        await using var coordinator = await StartAsync(4, rounds: 2);
        var first = await JoinAsync(coordinator, 4);
        await Task.WhenAll(first.Select(m => m.RunAsync()));
        var moved = first[0].Support.Where((_, j) => first.Sum(m => m.Values[j]) != 0).ToHashSet();

        var second = await Task.WhenAll(first.Select((m, i) => m.NextRoundAsync(seed: 10 + i)));
        await Task.WhenAll(second.Select(m => m.RunAsync()));

        Assert.False(second[0].Task.Secure.Support.IsEmpty);
        Assert.All(second, m => Assert.Equal(second[0].Support, m.Support));
        int followed = (int)Math.Round(0.5 * second[0].Support.Length);
        Assert.InRange(second[0].Support.Count(moved.Contains), Math.Min(followed, moved.Count), moved.Count);
        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        await AssertModelMovedByTheMeanOf(coordinator, second, fromVersion: 2);
        Dispose(second);
    }

    private static async Task AssertModelMovedByTheMeanOf(TestCoordinator coordinator, IReadOnlyList<SecureMember> survivors, long fromVersion = 1)
    {
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var before = (await store.LoadAsync(ModelSeries.Global("default"), fromVersion))!;
        var after = (await store.LoadAsync(ModelSeries.Global("default"), fromVersion + 1))!;
        var support = survivors[0].Support;
        double scale = survivors[0].Task.Secure.Scale;
        var expected = new double[before.Length];
        for (int j = 0; j < support.Length; j++) expected[support[j]] = survivors.Sum(m => m.Values[j]) * scale / survivors.Count;
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i] + expected[i], after[i], 1e-6);
    }

    private static Task<TestCoordinator> StartAsync(int clients, int rounds = 1) => TestCoordinator.StartAsync(new Dictionary<string, string?>
    {
        ["Federation:Clients"] = clients.ToString(),
        ["Federation:Rounds"] = rounds.ToString(),
        ["Federation:SecureFollow"] = "0.5",
        ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        ["Federation:SecureAggregation"] = "true",
        ["Federation:SecureSupport"] = "0.001",
        ["Federation:SecureLevels"] = "3",
        ["Federation:SecureScale"] = "0.01",
        // Stages that wait for a member who dropped end at this deadline.
        ["Coordinator:SecureStageTimeout"] = "00:00:03",
    });

    private static async Task<SecureMember[]> JoinAsync(TestCoordinator coordinator, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => SecureMember.JoinAsync(coordinator.Address, $"client-{i:D4}", seed: i)));

    private static void Dispose(IEnumerable<SecureMember> members)
    {
        foreach (var member in members) member.Dispose();
    }
}
