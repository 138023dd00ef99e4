using Grpc.Core;

namespace PoolCompress.TestSupport;

/// <summary>How a test's raw client sends a client stream that the server may refuse before reading all of it.</summary>
internal static class ClientStreams
{
    /// <summary>
    /// Writes <paramref name="messages"/>, then the end of the stream (unless <paramref name="endStream"/> is false:
    /// a client that stalls), and returns the server's verdict: its reply, or the status it ended the call with.
    /// </summary>
    public static async Task<(TReply? Reply, RpcException? Error)> SendAsync<TMessage, TReply>(AsyncClientStreamingCall<TMessage, TReply> call,
        IEnumerable<TMessage> messages, bool endStream = true) where TReply : class
    {
        using var stopWriting = new CancellationTokenSource();
        var writing = WriteAsync(call.RequestStream, messages, endStream, stopWriting.Token);
        // A server that refuses early stops reading, so the rest of a large payload would wait on HTTP/2 flow control
        // for ever: once its verdict is in, the writes stop.
        await Task.WhenAny(writing, call.ResponseAsync);
        await stopWriting.CancelAsync();
        try
        {
            await writing;
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or OperationCanceledException or IOException)
        {
            // The server answered before reading everything, or the connection failed (a refused TLS handshake):
            // its verdict is the call's status.
        }
        try
        {
            return (await call.ResponseAsync, null);
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }

    private static async Task WriteAsync<TMessage>(IClientStreamWriter<TMessage> stream, IEnumerable<TMessage> messages, bool endStream, CancellationToken cancellationToken)
    {
        foreach (var message in messages) await stream.WriteAsync(message, cancellationToken);
        if (endStream) await stream.CompleteAsync();
        else await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
