using Google.Protobuf;
using Grpc.Core;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Federation.Tests;

/// <summary>
/// A misbehaving client, speaking raw gRPC, sends bad updates; each gets a clear gRPC error, and the honest clients'
/// rounds still complete without waiting for the deadline.
/// </summary>
public sealed class MalformedUpdateTests
{
    private const string Rogue = "rogue";

    private static async Task<(TaskHeader Header, byte[] Model)> NextTrainTask(V1.Federation.FederationClient rpc)
    {
        while (true)
        {
            using var call = rpc.GetTask(new V1.TaskRequest { ClientId = Rogue });
            Assert.True(await call.ResponseStream.MoveNext());
            var header = call.ResponseStream.Current.Header;
            Assert.NotEqual(TaskAction.Done, header.Action);
            if (header.Action != TaskAction.Train) continue;
            var assembler = new PayloadAssembler(header.PayloadBytes, long.MaxValue);
            while (!assembler.IsComplete && await call.ResponseStream.MoveNext()) assembler.Append(call.ResponseStream.Current.Chunk);
            return (header, assembler.GetPayload());
        }
    }

    private static async Task<RpcException> Push(V1.Federation.FederationClient rpc, UpdateHeader header, IEnumerable<PayloadChunk> chunks)
    {
        using var call = rpc.PushUpdate();
        try
        {
            await call.RequestStream.WriteAsync(new UpdateMessage { Header = header });
            foreach (var chunk in chunks) await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = chunk });
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The coordinator refused before reading everything; its verdict is the call's status.
        }
        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
    }

    private static UpdateHeader HeaderFor(TaskHeader task, long payloadBytes) => new()
    {
        ClientId = Rogue, Round = task.Round, BaseModelVersion = task.ModelVersion, SampleCount = 100, PayloadBytes = payloadBytes,
    };

    public static TheoryData<string> BadUpdates => ["garbage", "wrong-shape", "empty", "bad-crc", "lying-length", "not-finite"];

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task Bad_update_gets_a_clear_error_and_the_round_completes(string kind)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "1",
        });
        using var channel = FederationClient.CreateChannel(coordinator.Address);
        var rpc = new V1.Federation.FederationClient(channel);
        await rpc.JoinAsync(new JoinRequest { ClientId = Rogue, SampleCount = 100, ProtocolVersion = 1 });
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 2);
        var (task, model) = await NextTrainTask(rpc);

        var error = kind switch
        {
            "garbage" => await Push(rpc, HeaderFor(task, 4096), PayloadChunks.Split(Enumerable.Repeat((byte)0x5A, 4096).ToArray())),
            "wrong-shape" => await PushWrongShape(rpc, task),
            "empty" => await Push(rpc, HeaderFor(task, 0), []),
            "bad-crc" => await Push(rpc, HeaderFor(task, model.Length), CorruptFirstChunk(model)),
            "lying-length" => await Push(rpc, HeaderFor(task, long.MaxValue), PayloadChunks.Split(model)),
            "not-finite" => await PushNotFinite(rpc, task),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(2, status.History[0].Participants);
        Assert.Equal(1, status.History[0].Rejected);
        await Task.WhenAll(honest);
    }

    private static async Task<RpcException> PushWrongShape(V1.Federation.FederationClient rpc, TaskHeader task)
    {
        var wrongLayout = new ModelLayout([new TensorInfo("conv1.weight", [3, 3])]);
        byte[] payload = new UpdateEncoder(wrongLayout, CodecSpec.Parse("none")).Encode(new float[9]);
        var error = await Push(rpc, HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
        Assert.Contains("update rejected", error.Status.Detail);
        return error;
    }

    private static async Task<RpcException> PushNotFinite(V1.Federation.FederationClient rpc, TaskHeader task)
    {
        var layout = CnnLayout();
        var values = new float[layout.TotalLength];
        values[7] = float.NaN;
        byte[] payload = new UpdateEncoder(layout, CodecSpec.Parse("none"), new UpdateEncoderOptions { ErrorFeedback = false }).Encode(values);
        var error = await Push(rpc, HeaderFor(task, payload.Length), PayloadChunks.Split(payload));
        Assert.Contains("finite", error.Status.Detail);
        return error;
    }

    private static ModelLayout CnnLayout()
    {
        using var network = PoolCompress.Learning.ModelFactory.Create("cnn", null, 5);
        return new ModelLayout(network.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));
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
