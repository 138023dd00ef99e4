using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using PoolCompress.Protos.V1;
// TestSupport brings Orleans, whose own TaskRequest would be ambiguous.
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>A TRAIN task as the client received it: its header and the whole model it carried.</summary>
internal sealed record TrainTask(TaskHeader Header, float[] Model);

/// <summary>
/// A client written against federation.proto and docs/wire-format.md only (stubs generated here by Grpc.Tools), so it
/// can send exactly what a hostile or broken client of another team would, and sees the coordinator as they do.
/// With a <paramref name="token"/> every call carries <c>authorization: Bearer TOKEN</c>, whoever it names; a
/// <paramref name="handler"/> brings TLS (<see cref="ThirdPartyTls"/>).
/// </summary>
internal sealed class ThirdPartyClient(Uri address, string clientId, string? token = null, HttpMessageHandler? handler = null) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });

    public Federation.FederationClient Rpc => new(token is null
        ? _channel.CreateCallInvoker()
        : _channel.Intercept(headers =>
        {
            headers.Add("authorization", $"Bearer {token}");
            return headers;
        }));

    public string ClientId => clientId;

    public FederationConfig Config { get; private set; } = new();

    /// <summary>The fingerprint of the layout the join reply described, computed as section 4 says (not copied from the reply).</summary>
    public ulong LayoutFingerprint => WireFormat.LayoutFingerprint(Config.Layout);

    public async Task JoinAsync(long sampleCount)
    {
        var reply = await Rpc.JoinAsync(new JoinRequest { ClientId = clientId, SampleCount = sampleCount, ProtocolVersion = 1, Codecs = { "none" } });
        Config = reply.Config;
    }

    public TaskRequest TaskRequest() => new() { ClientId = clientId, LayoutFingerprint = LayoutFingerprint };

    /// <summary>Polls until the coordinator hands this client a TRAIN task (WAIT is a long poll ended: ask again).</summary>
    public async Task<TrainTask> NextTrainTaskAsync()
    {
        while (true)
        {
            using var call = Rpc.GetTask(TaskRequest());
            var messages = await call.ResponseStream.ReadAllAsync().ToListAsync();
            var header = messages[0].Header;
            Assert.True(header.Action is TaskAction.Train or TaskAction.Wait, $"unexpected task {header}");
            if (header.Action != TaskAction.Train) continue;
            byte[] payload = Chunks.Join(header.PayloadBytes, messages.Skip(1).Select(m => m.Chunk));
            return new TrainTask(header, WireFormat.ReadDense(payload, Config.Layout));
        }
    }

    /// <summary>An honest header for an update of <paramref name="payloadBytes"/> bytes trained on <paramref name="task"/>'s model.</summary>
    public UpdateHeader HeaderFor(TaskHeader task, long payloadBytes) => new()
    {
        ClientId = clientId, Round = task.Round, BaseModelVersion = task.ModelVersion, SampleCount = 100, PayloadBytes = payloadBytes,
        TrainLoss = 0.5f, TrainSeconds = 1, LayoutFingerprint = LayoutFingerprint,
    };

    public byte[] DenseUpdate(Func<long, float> value) => WireFormat.DenseUpdate(Config.Layout, value);

    /// <summary>Sends a header and chunks, then the end of the stream unless the client stalls, and returns the coordinator's verdict: the receipt, or the status it ended the call with.</summary>
    public async Task<(UpdateReceipt? Receipt, RpcException? Error)> PushAsync(UpdateHeader header, IEnumerable<PayloadChunk> chunks, bool endStream = true)
    {
        using var call = Rpc.PushUpdate();
        return await ClientStreams.SendAsync(call, chunks.Select(chunk => new UpdateMessage { Chunk = chunk }).Prepend(new UpdateMessage { Header = header }), endStream);
    }

    public void Dispose() => _channel.Dispose();
}
