using Grpc.Core;
using PoolCompress.Compression;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Services;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The upload pipeline's reading half: header first and in time, chunks only, exactly the announced bytes, a decodable, finite update.</summary>
public sealed class UpdateReceiverTests
{
    private static readonly ModelLayout Layout = new([new TensorInfo("w", [3, 4]), new TensorInfo("b", [4])]);
    private static readonly CoordinatorOptions Options = new() { UploadGrace = TimeSpan.FromSeconds(10), MinUploadBytesPerSecond = 1000 };
    private readonly UpdateReceiver _receiver = new(Layout, "test-model", Options);

    private static UpdateHeader Header(byte[] payload) =>
        new() { ClientId = "client-0000", Round = 1, PayloadBytes = payload.Length, LayoutFingerprint = Layout.Fingerprint };

    private static UpdateMessage[] Chunks(byte[] payload) => [.. PayloadChunks.Split(payload).Select(chunk => new UpdateMessage { Chunk = chunk })];

    private static byte[] Encoded(float[] update) => new UpdateEncoder(Layout, CodecSpec.Parse("none")).Encode(update);

    private Task<float[]> Read(UpdateHeader header, params UpdateMessage[] after) =>
        _receiver.ReadUpdate(header, new ListStreamReader<UpdateMessage>(after), CancellationToken.None);

    [Fact]
    public async Task The_header_and_chunks_of_an_update_decode_to_its_values()
    {
        float[] update = [.. Enumerable.Range(0, Layout.TotalLength).Select(i => i * 0.25f - 1)];
        byte[] payload = Encoded(update);
        var stream = new ListStreamReader<UpdateMessage>([new UpdateMessage { Header = Header(payload) }, .. Chunks(payload)]);

        var header = await _receiver.ReadHeader(stream, CancellationToken.None, CancellationToken.None);
        var received = await _receiver.ReadUpdate(header, stream, CancellationToken.None);

        Assert.Equal(update, received);
    }

    [Fact]
    public async Task A_stream_that_starts_with_a_chunk_is_refused()
    {
        var stream = new ListStreamReader<UpdateMessage>(Chunks(Encoded(new float[Layout.TotalLength])));

        var refusal = await Assert.ThrowsAsync<RpcException>(() => _receiver.ReadHeader(stream, CancellationToken.None, CancellationToken.None));

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Equal("an update stream must start with an UpdateHeader", refusal.Status.Detail);
    }

    [Fact]
    public async Task A_header_that_arrives_after_the_grace_is_refused_as_exhausting()
    {
        using var graceOver = new CancellationTokenSource();
        await graceOver.CancelAsync();

        var refusal = await Assert.ThrowsAsync<RpcException>(() =>
            _receiver.ReadHeader(new ListStreamReader<UpdateMessage>(), graceOver.Token, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
        Assert.Equal("no UpdateHeader arrived within 10 s", refusal.Status.Detail);
    }

    [Fact]
    public async Task A_header_stating_another_layout_is_refused()
    {
        var header = new UpdateHeader { ClientId = "client-0000", LayoutFingerprint = Layout.Fingerprint + 1 };

        var refusal = await Assert.ThrowsAsync<RpcException>(() =>
            _receiver.ReadHeader(new ListStreamReader<UpdateMessage>(new UpdateMessage { Header = header }), CancellationToken.None, CancellationToken.None));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
        Assert.Contains("test-model", refusal.Status.Detail);
    }

    [Fact]
    public async Task A_second_header_among_the_chunks_is_malformed()
    {
        byte[] payload = Encoded(new float[Layout.TotalLength]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Read(Header(payload), new UpdateMessage { Header = Header(payload) }));

        Assert.Equal("only PayloadChunks may follow the UpdateHeader", error.Message);
    }

    [Fact]
    public async Task Bytes_beyond_the_announced_payload_are_malformed()
    {
        byte[] payload = Encoded(new float[Layout.TotalLength]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Read(Header(payload), [.. Chunks(payload), .. Chunks([1, 2, 3])]));

        Assert.Contains($"more data followed the announced {payload.Length} payload bytes", error.Message);
    }

    [Fact]
    public async Task An_update_holding_a_non_finite_value_is_malformed()
    {
        var update = new float[Layout.TotalLength];
        update[5] = float.NaN;
        byte[] payload = Encoded(update);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Read(Header(payload), Chunks(payload)));

        Assert.Equal("update value 5 is NaN; updates must be finite", error.Message);
    }

    [Fact]
    public void An_upload_may_take_the_grace_plus_its_bytes_at_the_minimum_rate_capped_at_the_largest_payload()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), _receiver.UploadTime(5000));
        Assert.Equal(TimeSpan.FromSeconds(10), _receiver.UploadTime(-1));
        Assert.Equal(_receiver.UploadTime(Layout.MaxPayloadBytes), _receiver.UploadTime(long.MaxValue));
    }
}
