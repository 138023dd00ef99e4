using Google.Protobuf;
using Grpc.Core;
using PoolCompress.Protos.V1;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// What docs/hostile-clients.md promises, checked from outside: each hostile call gets its gRPC status, the model
/// (version, hash and values, as the next TRAIN task carries them) does not move, and the coordinator goes on serving
/// the honest client. The cases share one coordinator and run one at a time; each starts from the TRAIN task in
/// progress, so an honest update in one case is taken after the hostile calls of those before it.
/// </summary>
public sealed partial class HostileClientTests(CoordinatorProcess coordinator) : IClassFixture<CoordinatorProcess>
{
    private const float HonestStep = 1e-3f;
    private static readonly StatusCode[] Shed = [StatusCode.Unavailable, StatusCode.Internal];
    private const string Outsider = "impostor-1";
    private readonly ThirdPartyClient _client = coordinator.Client;

    [Fact]
    public void The_documented_fingerprint_is_the_coordinators() =>
        Assert.Equal(_client.Config.LayoutFingerprint, _client.LayoutFingerprint);

    [Fact]
    public async Task An_honest_update_is_accepted_and_moves_the_model()
    {
        var task = await _client.NextTrainTaskAsync();
        await PushHonestAsync(task);
        var next = await _client.NextTrainTaskAsync();
        Assert.Equal(task.Header.ModelVersion + 1, next.Header.ModelVersion);
        Assert.NotEqual(task.Header.ModelHash, next.Header.ModelHash);
        Assert.NotEqual(task.Model, next.Model);
    }

    public static TheoryData<string, StatusCode> RefusedUpdates => new()
    {
        { "nan-weight", StatusCode.InvalidArgument },
        { "infinite-weight", StatusCode.InvalidArgument },
        { "length-beyond-the-chunks", StatusCode.InvalidArgument },
        { "length-short-of-the-chunks", StatusCode.InvalidArgument },
        { "length-of-2^63-1", StatusCode.InvalidArgument },
        { "bad-crc", StatusCode.InvalidArgument },
        { "bad-offset", StatusCode.InvalidArgument },
        { "payload-for-another-layout", StatusCode.InvalidArgument },
        { "header-with-another-fingerprint", StatusCode.FailedPrecondition },
        { "header-without-fingerprint", StatusCode.FailedPrecondition },
        { "member-never-joined", StatusCode.FailedPrecondition },
        { "client-outside-the-members", StatusCode.PermissionDenied },
        { "other-round", StatusCode.FailedPrecondition },
        { "stalled-after-first-chunk", StatusCode.ResourceExhausted },
        { "stalled-before-header", StatusCode.ResourceExhausted },
    };

    [Theory]
    [MemberData(nameof(RefusedUpdates))]
    public async Task A_hostile_update_is_refused_and_the_model_does_not_move(string kind, StatusCode expected)
    {
        var task = await _client.NextTrainTaskAsync();
        var error = await PushHostileAsync(kind, task.Header);
        Assert.True(error is not null, $"{kind} was accepted\n{coordinator.Output}");
        Assert.True(expected == error.StatusCode, $"{kind}: {error.Status}");
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        await AssertUnmovedAsync(task);
    }

    private async Task<RpcException?> PushHostileAsync(string kind, TaskHeader task)
    {
        byte[] honest = _client.DenseUpdate(_ => HonestStep);
        var header = _client.HeaderFor(task, honest.Length);
        switch (kind)
        {
            case "nan-weight":
                return await PushValuesAsync(task, i => i == 7 ? float.NaN : HonestStep);
            case "infinite-weight":
                return await PushValuesAsync(task, i => i == 7 ? float.NegativeInfinity : HonestStep);
            case "length-beyond-the-chunks":
                header.PayloadBytes = honest.Length + 8;
                break;
            case "length-short-of-the-chunks":
                header.PayloadBytes = honest.Length - 8;
                break;
            case "length-of-2^63-1":
                header.PayloadBytes = long.MaxValue;
                break;
            case "bad-crc":
                return (await _client.PushAsync(header, WithFirstChunk(Chunks.Split(honest), c => c.Crc32 ^= 1))).Error;
            case "bad-offset":
                return (await _client.PushAsync(header, WithFirstChunk(Chunks.Split(honest), c => c.Offset = 4))).Error;
            case "payload-for-another-layout":
                var other = new TensorLayout { Name = "fc.weight", Shape = { 3, 3 } };
                byte[] payload = WireFormat.DenseUpdate([other], _ => HonestStep);
                return (await _client.PushAsync(_client.HeaderFor(task, payload.Length), Chunks.Split(payload))).Error;
            case "header-with-another-fingerprint":
                header.LayoutFingerprint ^= 1;
                break;
            case "header-without-fingerprint":
                header.LayoutFingerprint = 0;
                break;
            case "member-never-joined":
                header.ClientId = CoordinatorProcess.AbsentMember;
                break;
            case "client-outside-the-members":
                header.ClientId = Outsider;
                break;
            case "other-round":
                header.Round += 1;
                break;
            case "stalled-after-first-chunk":
                return (await _client.PushAsync(header, Chunks.Split(honest).Take(1), endStream: false)).Error;
            case "stalled-before-header":
                return await StallBeforeHeaderAsync();
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        return (await _client.PushAsync(header, Chunks.Split(honest))).Error;
    }

    private async Task<RpcException?> PushValuesAsync(TaskHeader task, Func<long, float> value)
    {
        byte[] payload = _client.DenseUpdate(value);
        return (await _client.PushAsync(_client.HeaderFor(task, payload.Length), Chunks.Split(payload))).Error;
    }

    private static IEnumerable<PayloadChunk> WithFirstChunk(List<PayloadChunk> chunks, Action<PayloadChunk> corrupt)
    {
        corrupt(chunks[0]);
        return chunks;
    }

    private async Task<RpcException?> StallBeforeHeaderAsync()
    {
        using var call = _client.Rpc.PushUpdate();
        try
        {
            await call.ResponseAsync;
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task A_replayed_update_is_refused_and_counted_once()
    {
        var task = await _client.NextTrainTaskAsync();
        byte[] payload = await PushHonestAsync(task);
        var (_, replay) = await _client.PushAsync(_client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        // With one client the accepted update closed the round, so the replay names a round no longer in progress.
        Assert.Equal(StatusCode.FailedPrecondition, replay?.StatusCode);
        var next = await _client.NextTrainTaskAsync();
        Assert.Equal(task.Header.ModelVersion + 1, next.Header.ModelVersion);
        AssertMovedByAtMost(task.Model, next.Model, HonestNorm() * 1.001);
    }

    /// <summary>
    /// A finite update of 1e30 everywhere is taken but clipped to 3 × the previous round's median norm (the default
    /// adaptive bound), scaled by its weight: an honest round first gives the bound a history.
    /// </summary>
    [Fact]
    public async Task A_huge_update_moves_the_model_no_further_than_the_default_bound()
    {
        await PushHonestAsync(await _client.NextTrainTaskAsync());
        var task = await _client.NextTrainTaskAsync();
        byte[] huge = _client.DenseUpdate(_ => 1e30f);
        var (receipt, error) = await _client.PushAsync(_client.HeaderFor(task.Header, huge.Length), Chunks.Split(huge));
        Assert.True(receipt?.Accepted, error?.Status.ToString());
        var next = await _client.NextTrainTaskAsync();
        Assert.All(next.Model, value => Assert.True(float.IsFinite(value)));
        AssertMovedByAtMost(task.Model, next.Model, 3 * HonestNorm() * 1.001);
    }

    [Fact]
    public async Task A_task_request_with_another_fingerprint_or_from_a_member_that_never_joined_is_refused()
    {
        var task = await _client.NextTrainTaskAsync();
        var wrongFingerprint = _client.TaskRequest();
        wrongFingerprint.LayoutFingerprint ^= 1;
        var absent = _client.TaskRequest();
        absent.ClientId = CoordinatorProcess.AbsentMember;
        foreach (var request in new[] { wrongFingerprint, absent })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => _client.Rpc.GetTask(request).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        }
        await AssertUnmovedAsync(task);
    }

    /// <summary>
    /// The token (here none) admits anyone to the port, but only the operator's <c>--members</c> may join: a join, a
    /// task request and an upload under another id are each refused naming the id, and the id never takes part.
    /// </summary>
    [Fact]
    public async Task A_join_or_task_request_under_an_id_outside_the_members_list_is_refused_naming_it()
    {
        var task = await _client.NextTrainTaskAsync();
        var outsiderTask = _client.TaskRequest();
        outsiderTask.ClientId = Outsider;
        var calls = new Func<Task>[]
        {
            () => _client.Rpc.JoinAsync(new JoinRequest { ClientId = Outsider, SampleCount = 200, ProtocolVersion = 1, Codecs = { "none" } }).ResponseAsync,
            () => _client.Rpc.GetTask(outsiderTask).ResponseStream.ReadAllAsync().ToListAsync().AsTask(),
        };
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
            Assert.Contains($"client '{Outsider}' is not a member of this federation", error.Status.Detail, StringComparison.Ordinal);
        }
        await AssertUnmovedAsync(task);
    }

    /// <summary>
    /// Hundreds of joins with ids the protocol forbids and of task polls at once, on one connection: what the
    /// coordinator's per-connection stream limit lets in is answered (a join refused, a poll given the task in
    /// progress); the rest Kestrel sheds, refusing the stream (UNAVAILABLE) or closing the connection that
    /// overran it (INTERNAL on this side). Nobody joins, and the federation goes on with the same model.
    /// </summary>
    [Fact]
    public async Task A_flood_of_joins_and_task_polls_is_answered_or_shed_and_the_federation_goes_on()
    {
        var task = await _client.NextTrainTaskAsync();
        var polls = Enumerable.Range(0, 200).Select(_ => StatusOfAsync(async () =>
        {
            var messages = await _client.Rpc.GetTask(_client.TaskRequest()).ResponseStream.ReadAllAsync().ToListAsync();
            Assert.Equal(TaskAction.Train, messages[0].Header.Action);
        }));
        var joins = Enumerable.Range(0, 200).Select(i => StatusOfAsync(() =>
            _client.Rpc.JoinAsync(new JoinRequest { ClientId = $"flood {i}!", SampleCount = long.MaxValue, ProtocolVersion = 1 }).ResponseAsync));
        var pollStatuses = await Task.WhenAll(polls);
        var joinStatuses = await Task.WhenAll(joins);
        Assert.Contains(StatusCode.OK, pollStatuses);
        Assert.All(pollStatuses, status => Assert.Contains(status, Shed.Append(StatusCode.OK)));
        Assert.Contains(StatusCode.InvalidArgument, joinStatuses);
        Assert.All(joinStatuses, status => Assert.Contains(status, Shed.Append(StatusCode.InvalidArgument)));
        await AssertUnmovedAsync(task);
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>
    /// The coordinator still serves the honest client, with the model of <paramref name="before"/> bit for bit. (The
    /// next case's honest update, or its refusal, is taken from this task: an honest push here would cost a round each.)
    /// </summary>
    private async Task AssertUnmovedAsync(TrainTask before)
    {
        var next = await _client.NextTrainTaskAsync();
        Assert.Equal(before.Header.ModelVersion, next.Header.ModelVersion);
        Assert.Equal(before.Header.ModelHash, next.Header.ModelHash);
        Assert.Equal(before.Model, next.Model);
    }

    private async Task<byte[]> PushHonestAsync(TrainTask task)
    {
        byte[] payload = _client.DenseUpdate(_ => HonestStep);
        var (receipt, error) = await _client.PushAsync(_client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        Assert.True(receipt?.Accepted, $"{error?.Status}\n{coordinator.Output}");
        return payload;
    }

    private double HonestNorm() => HonestStep * Math.Sqrt(_client.Config.ParameterCount);

    private static void AssertMovedByAtMost(float[] before, float[] after, double bound)
    {
        double moved = Math.Sqrt(before.Zip(after, (b, a) => (double)a - b).Sum(d => d * d));
        Assert.True(moved <= bound, $"the model moved by {moved}, more than {bound}");
    }
}
