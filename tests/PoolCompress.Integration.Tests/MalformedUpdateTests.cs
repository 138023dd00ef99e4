using Google.Protobuf;
using Grpc.Core;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A misbehaving client, speaking raw gRPC, sends bad updates; each gets a clear gRPC error, and the honest clients'
/// rounds still complete without waiting for the deadline.
/// </summary>
public sealed class MalformedUpdateTests
{
    public static TheoryData<string> BadUpdates =>
        ["garbage", "wrong-shape", "empty", "bad-crc", "lying-length", "not-finite", "nan-loss", "infinite-seconds", "negative-memory", "negative-process-memory"];

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Bad_update_gets_a_clear_error_and_the_round_completes(string kind)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "1",
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(100);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);
        var (task, model) = await rogue.NextTrainTask();
        Task<RpcException> PushZerosWith(Action<UpdateHeader> lie)
        {
            byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
            var header = rogue.HeaderFor(task, zeros.Length);
            lie(header);
            return rogue.PushRefusedAsync(header, PayloadChunks.Split(zeros));
        }

        var error = kind switch
        {
            "garbage" => await rogue.PushRefusedAsync(rogue.HeaderFor(task, 4096), PayloadChunks.Split(Enumerable.Repeat((byte)0x5A, 4096).ToArray())),
            "wrong-shape" => await PushWrongShape(rogue, task),
            "empty" => await rogue.PushRefusedAsync(rogue.HeaderFor(task, 0), []),
            "bad-crc" => await rogue.PushRefusedAsync(rogue.HeaderFor(task, model.Length), CorruptFirstChunk(model)),
            "lying-length" => await rogue.PushRefusedAsync(rogue.HeaderFor(task, long.MaxValue), PayloadChunks.Split(model)),
            "not-finite" => await PushNotFinite(rogue, task),
            "nan-loss" => await PushZerosWith(h => h.TrainLoss = float.NaN),
            "infinite-seconds" => await PushZerosWith(h => h.TrainSeconds = double.PositiveInfinity),
            "negative-memory" => await PushZerosWith(h => h.PeakMemoryBytes = -1),
            "negative-process-memory" => await PushZerosWith(h => h.ProcessPeakMemoryBytes = -1),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(2, status.History[0].Participants);
        Assert.Equal(1, status.History[0].Rejected);
        Assert.All(status.History, r => Assert.True(double.IsFinite(r.MeanTrainLoss)));
        await Task.WhenAll(honest);
    }

    private static async Task<RpcException> PushWrongShape(RawClient rogue, TaskHeader task)
    {
        var wrongLayout = new ModelLayout([new TensorInfo("conv1.weight", [3, 3])]);
        byte[] payload = new UpdateEncoder(wrongLayout, CodecSpec.Parse("none")).Encode(new float[9]);
        var error = await rogue.PushRefusedAsync(rogue.HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
        Assert.Contains("update rejected", error.Status.Detail);
        return error;
    }

    private static async Task<RpcException> PushNotFinite(RawClient rogue, TaskHeader task)
    {
        byte[] payload = RawClient.DenseCnnPayload(i => i == 7 ? float.NaN : 0f);
        var error = await rogue.PushRefusedAsync(rogue.HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
        Assert.Contains("finite", error.Status.Detail);
        return error;
    }

    private static IEnumerable<PayloadChunk> CorruptFirstChunk(byte[] model)
    {
        var chunks = PayloadChunks.Split(model).ToList();
        var bytes = chunks[0].Data.ToByteArray();
        bytes[10] ^= 0xFF;
        chunks[0] = new PayloadChunk { Offset = 0, Data = ByteString.CopyFrom(bytes), Crc32 = chunks[0].Crc32 };
        return chunks;
    }
}
