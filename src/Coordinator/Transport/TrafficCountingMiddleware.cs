using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace PoolCompress.Coordinator.Transport;

/// <summary>
/// Kestrel connection middleware that routes every byte of a connection through a <see cref="CountingStream"/>.
/// Registered before TLS, it counts what really crosses the socket: HTTP/2 framing, headers, TLS records and all,
/// for the whole coordinator (<see cref="TrafficMeter"/>) and per connection (<see cref="ConnectionTraffic"/>).
/// </summary>
public static class TrafficCountingMiddleware
{
    public static ListenOptions UseTrafficCounting(this ListenOptions listenOptions, TrafficMeter meter)
    {
        listenOptions.Use(next => connection => CountAsync(connection, next, meter));
        return listenOptions;
    }

    private static async Task CountAsync(ConnectionContext connection, ConnectionDelegate next, TrafficMeter meter)
    {
        var original = connection.Transport;
        var traffic = new ConnectionTraffic();
        connection.Items[typeof(ConnectionTraffic)] = traffic;
        var counted = Counted(original, traffic, meter);
        var input = PipeReader.Create(counted, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(counted, new StreamPipeWriterOptions(leaveOpen: true));
        connection.Transport = new DuplexPipe(input, output);
        meter.OnConnectionOpened();
        try
        {
            await next(connection);
        }
        finally
        {
            meter.OnConnectionClosed();
            await input.CompleteAsync();
            await output.CompleteAsync();
            connection.Transport = original;
        }
    }

    /// <summary>The connection's transport as a stream that counts each byte for the connection and the whole coordinator.</summary>
    private static CountingStream Counted(IDuplexPipe transport, ConnectionTraffic traffic, TrafficMeter meter) => new(
        new DuplexPipeStream(transport),
        onRead: bytes =>
        {
            traffic.OnReceived(bytes);
            meter.OnReceived(bytes);
        },
        onWrite: bytes =>
        {
            traffic.OnSent(bytes);
            meter.OnSent(bytes);
        });

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The connection's two pipes as one stream, the shape TLS and <see cref="CountingStream"/> work on.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
    {
        private readonly Stream _input = pipe.Input.AsStream(leaveOpen: true);
        private readonly Stream _output = pipe.Output.AsStream(leaveOpen: true);

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _input.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            _output.WriteAsync(buffer, cancellationToken);

        public override void Flush() => _output.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
