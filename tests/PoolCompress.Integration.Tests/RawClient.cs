using Grpc.Core;
using Grpc.Net.Client;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>A client speaking raw gRPC, so a test can send exactly what a hostile or broken client would.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers;

    /// <param name="tls">how to trust an https coordinator and which client certificate to present.</param>
    /// <param name="token">sent as <c>authorization: Bearer TOKEN</c>.</param>
    public RawClient(Uri address, string clientId, ClientTls? tls = null, string? token = null)
    {
        _channel = FederationClient.CreateChannel(address, tls?.Apply());
        _headers = token is null ? [] : new Metadata { { "authorization", "Bearer " + token } };
        Rpc = new V1.Federation.FederationClient(_channel);
        ClientId = clientId;
    }

    public V1.Federation.FederationClient Rpc { get; }

    public string ClientId { get; }

    /// <summary>What an honest client states in its task requests and update headers: the federation's layout
    /// fingerprint from its join reply, until then the plain cnn's (what these tests' coordinators train).</summary>
    public ulong LayoutFingerprint { get; set; } = CnnLayout().Fingerprint;

    public async Task<JoinReply> JoinAsync(long sampleCount, long validationCount = 0)
    {
        var reply = await Rpc.JoinAsync(new JoinRequest { ClientId = ClientId, SampleCount = sampleCount, ValidationCount = validationCount, ProtocolVersion = 1 }, _headers).ResponseAsync;
        LayoutFingerprint = reply.Config.LayoutFingerprint;
        return reply;
    }

    public V1.TaskRequest TaskRequest() => new() { ClientId = ClientId, LayoutFingerprint = LayoutFingerprint };

    public Task<(TaskHeader Header, byte[] Model)> NextTrainTask() => NextTask(TaskAction.Train, TaskRequest());

    /// <summary>The next task of <paramref name="action"/>, polled for with <paramref name="request"/> (other tasks are passed over), and its model payload.</summary>
    public async Task<(TaskHeader Header, byte[] Model)> NextTask(TaskAction action, V1.TaskRequest request)
    {
        while (true)
        {
            using var call = Rpc.GetTask(request, _headers);
            Assert.True(await call.ResponseStream.MoveNext());
            var header = call.ResponseStream.Current.Header;
            Assert.NotEqual(TaskAction.Done, header.Action);
            if (header.Action != action) continue;
            // A client that holds the task's model gets no payload at all.
            if (header.PayloadBytes == 0) return (header, []);
            var assembler = new PayloadAssembler(header.PayloadBytes, long.MaxValue);
            while (!assembler.IsComplete && await call.ResponseStream.MoveNext()) assembler.Append(call.ResponseStream.Current.Chunk);
            return (header, assembler.GetPayload());
        }
    }

    public UpdateHeader HeaderFor(TaskHeader task, long payloadBytes) => new()
    {
        ClientId = ClientId, Round = task.Round, BaseModelVersion = task.ModelVersion, SampleCount = 100, PayloadBytes = payloadBytes,
        LayoutFingerprint = LayoutFingerprint,
    };

    /// <summary>Sends an update and returns the coordinator's answer: its receipt, or the error it ended the call with.</summary>
    public async Task<(UpdateReceipt? Receipt, RpcException? Error)> PushAsync(UpdateHeader header, IEnumerable<PayloadChunk> chunks)
    {
        using var call = Rpc.PushUpdate(_headers);
        return await ClientStreams.SendAsync(call, chunks.Select(chunk => new UpdateMessage { Chunk = chunk }).Prepend(new UpdateMessage { Header = header }));
    }

    /// <summary>Sends an update the coordinator must refuse, and returns its error.</summary>
    public async Task<RpcException> PushRefusedAsync(UpdateHeader header, IEnumerable<PayloadChunk> chunks)
    {
        var (receipt, error) = await PushAsync(header, chunks);
        Assert.True(error is not null, $"the update was accepted: {receipt?.Message}");
        return error;
    }

    /// <summary>The cnn's values as a dense float32 payload, exactly as sent (no error feedback).</summary>
    public static byte[] DenseCnnPayload(Func<int, float> value)
    {
        var layout = CnnLayout();
        var values = Enumerable.Range(0, layout.TotalLength).Select(value).ToArray();
        return new UpdateEncoder(layout, CodecSpec.Parse("none"), new UpdateEncoderOptions { ErrorFeedback = false }).Encode(values);
    }

    public static ModelLayout CnnLayout()
    {
        using var network = PoolCompress.Learning.ModelFactory.Create("cnn", null, 5);
        return LayoutAgreement.LayoutOf(network);
    }

    public void Dispose() => _channel.Dispose();
}
