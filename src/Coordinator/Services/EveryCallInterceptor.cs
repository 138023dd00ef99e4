using Grpc.Core;
using Grpc.Core.Interceptors;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// An interceptor that cannot miss a call kind: it overrides the server handler of all four (unary, server streaming,
/// client streaming, duplex) and routes each through the same two hooks, so a concern written once also covers an RPC
/// of a kind the service does not have yet.
/// </summary>
public abstract class EveryCallInterceptor : Interceptor
{
    /// <summary>Runs before the handler. Throw an <see cref="RpcException"/> to refuse the call.</summary>
    protected virtual void OnCall(ServerCallContext context) { }

    /// <summary>
    /// Runs on the call's first request message before the handler sees it: the request of a unary or
    /// server-streaming call, the first message read from a streaming request. Throw an <see cref="RpcException"/> to refuse it.
    /// </summary>
    protected virtual void OnFirstRequest(object request, ServerCallContext context) { }

    public sealed override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        OnCall(context);
        OnFirstRequest(request, context);
        return continuation(request, context);
    }

    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        OnCall(context);
        OnFirstRequest(request, context);
        return continuation(request, responseStream, context);
    }

    public sealed override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        OnCall(context);
        return continuation(new FirstRequestHook<TRequest>(requestStream, this, context), context);
    }

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        OnCall(context);
        return continuation(new FirstRequestHook<TRequest>(requestStream, this, context), responseStream, context);
    }

    /// <summary>Passes a request stream through, showing its first message to <see cref="OnFirstRequest"/>.</summary>
    private sealed class FirstRequestHook<TRequest>(IAsyncStreamReader<TRequest> inner, EveryCallInterceptor owner, ServerCallContext context)
        : IAsyncStreamReader<TRequest>
    {
        private bool _seenFirst;

        public TRequest Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            bool moved = await inner.MoveNext(cancellationToken);
            if (moved && !_seenFirst)
            {
                _seenFirst = true;
                owner.OnFirstRequest(inner.Current!, context);
            }
            return moved;
        }
    }
}
