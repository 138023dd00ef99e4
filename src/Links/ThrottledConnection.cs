using System.Net.Sockets;

namespace PoolCompress.Links;

/// <summary>HTTP handlers whose connections run at a link's speed (see <see cref="ThrottledStream"/>).</summary>
public static class ThrottledConnection
{
    /// <summary>
    /// A handler that opens each TCP connection itself and wraps it in a <see cref="ThrottledStream"/>; give it to a gRPC
    /// channel as <c>GrpcChannelOptions.HttpHandler</c>. It keeps to a single HTTP/2 connection, since one client has
    /// one link: a second connection would double its bandwidth.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(LinkProfile link, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        TimeProvider clock = time ?? TimeProvider.System;
        return new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    // TCP's handshake costs one round trip before the first request byte can leave.
                    if (link.RoundTrip > TimeSpan.Zero)
                        await Task.Delay(link.RoundTrip, clock, cancellationToken).ConfigureAwait(false);
                    return new ThrottledStream(new NetworkStream(socket, ownsSocket: true), link, clock);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
