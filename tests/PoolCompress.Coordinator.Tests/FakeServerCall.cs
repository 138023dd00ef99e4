using Grpc.Core;

namespace PoolCompress.Coordinator.Tests;

/// <summary>A server call's context with request headers and a method name, for running interceptors and handlers without a server.</summary>
internal sealed class FakeServerCallContext(string method, Metadata requestHeaders, CancellationToken cancellationToken = default) : ServerCallContext
{
    protected override string MethodCore => method;
    protected override string HostCore => "localhost";
    protected override string PeerCore => "ipv4:127.0.0.1:5000";
    protected override DateTime DeadlineCore => DateTime.MaxValue;
    protected override Metadata RequestHeadersCore => requestHeaders;
    protected override CancellationToken CancellationTokenCore => cancellationToken;
    protected override Metadata ResponseTrailersCore { get; } = [];
    protected override Status StatusCore { get; set; }
    protected override WriteOptions? WriteOptionsCore { get; set; }
    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}

/// <summary>A request stream that yields the given messages, then ends.</summary>
internal sealed class ListStreamReader<T>(params T[] messages) : IAsyncStreamReader<T>
{
    private int _next;

    public T Current { get; private set; } = default!;

    public Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_next == messages.Length) return Task.FromResult(false);
        Current = messages[_next++];
        return Task.FromResult(true);
    }
}

/// <summary>A response stream that keeps what is written.</summary>
internal sealed class ListStreamWriter<T> : IServerStreamWriter<T>
{
    public List<T> Written { get; } = [];

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message)
    {
        Written.Add(message);
        return Task.CompletedTask;
    }
}
