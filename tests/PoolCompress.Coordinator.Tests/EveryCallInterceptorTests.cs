using Grpc.Core;
using Grpc.Core.Interceptors;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Coordinator.Services;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// The interceptors run on each of the four handler kinds, not only on those the service has today: a duplex RPC added
/// later is authenticated and has its client id checked like the others, before its handler sees a message.
/// </summary>
public sealed class EveryCallInterceptorTests
{
    private const string Token = "s3cret";
    private const string Method = "/poolcompress.v1.Federation/Anything";

    public enum CallKind { Unary, ServerStreaming, ClientStreaming, Duplex }

    public static TheoryData<CallKind> Kinds => [CallKind.Unary, CallKind.ServerStreaming, CallKind.ClientStreaming, CallKind.Duplex];

    private static readonly FederationMembership Anyone = FederationMembership.For(new FederationSettings(), identitiesProven: false);

    private static Metadata Headers(string? authorization) => authorization is null ? [] : new Metadata { { "authorization", authorization } };

    /// <summary>
    /// Runs <paramref name="interceptor"/> on a call of <paramref name="kind"/> carrying <paramref name="request"/>, with a
    /// handler that reads every request message; returns what the handler read, or null when it never ran.
    /// </summary>
    private static async Task<List<UpdateMessage>?> Run(Interceptor interceptor, CallKind kind, ServerCallContext context, UpdateMessage request)
    {
        List<UpdateMessage>? read = null;
        async Task ReadAll(IAsyncStreamReader<UpdateMessage> stream)
        {
            read = [];
            while (await stream.MoveNext(CancellationToken.None)) read.Add(stream.Current);
        }
        var receipt = new UpdateReceipt();
        var responses = new ListStreamWriter<UpdateReceipt>();
        var requests = new ListStreamReader<UpdateMessage>(request, new UpdateMessage { Chunk = new PayloadChunk() });
        switch (kind)
        {
            case CallKind.Unary:
                await interceptor.UnaryServerHandler<UpdateMessage, UpdateReceipt>(request, context, (r, _) => { read = [r]; return Task.FromResult(receipt); });
                break;
            case CallKind.ServerStreaming:
                await interceptor.ServerStreamingServerHandler<UpdateMessage, UpdateReceipt>(request, responses, context, (r, _, _) => { read = [r]; return Task.CompletedTask; });
                break;
            case CallKind.ClientStreaming:
                await interceptor.ClientStreamingServerHandler<UpdateMessage, UpdateReceipt>(requests, context, async (stream, _) => { await ReadAll(stream); return receipt; });
                break;
            case CallKind.Duplex:
                await interceptor.DuplexStreamingServerHandler<UpdateMessage, UpdateReceipt>(requests, responses, context, (stream, _, _) => ReadAll(stream));
                break;
        }
        return read;
    }

    private static UpdateMessage Naming(string clientId) => new() { Header = new UpdateHeader { ClientId = clientId } };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_call_with_a_wrong_or_missing_token_is_refused_before_its_handler_runs(CallKind kind)
    {
        var interceptor = new AuthenticationInterceptor(new SharedTokenAuthenticator(Token));
        foreach (var authorization in new[] { "Bearer wrong", null })
        {
            List<UpdateMessage>? read = null;
            var refusal = await Assert.ThrowsAsync<RpcException>(async () =>
                read = await Run(interceptor, kind, new FakeServerCallContext(Method, Headers(authorization)), Naming("client-0000")));

            Assert.Equal(StatusCode.Unauthenticated, refusal.StatusCode);
            Assert.Null(read);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_call_with_the_token_reaches_its_handler_as_an_authenticated_caller(CallKind kind)
    {
        var interceptor = new AuthenticationInterceptor(new SharedTokenAuthenticator(Token));
        var context = new FakeServerCallContext(Method, Headers("Bearer " + Token));

        var read = await Run(interceptor, kind, context, Naming("client-0000"));

        Assert.NotNull(read);
        Assert.Equal("client-0000", read[0].Header.ClientId);
        Assert.Same(Caller.AnyClient, Caller.Of(context));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_malformed_client_id_is_refused_before_the_handler_sees_the_request(CallKind kind)
    {
        var context = Authenticated(Caller.AnyClient);
        List<UpdateMessage>? read = null;

        var refusal = await Assert.ThrowsAsync<RpcException>(async () => read = await Run(new ClientIdInterceptor(Anyone), kind, context, Naming("no spaces/allowed")));

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Contains("client_id 'no spaces/allowed' is invalid", refusal.Status.Detail);
        Assert.True(read is null or [], "the handler read a request whose client id is malformed");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_caller_naming_another_client_is_refused(CallKind kind)
    {
        var context = Authenticated(new Caller("client-0000"));

        var refusal = await Assert.ThrowsAsync<RpcException>(() => Run(new ClientIdInterceptor(Anyone), kind, context, Naming("client-0001")));

        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
    }

    /// <summary>A shared token proves no id, so the id a call names is what membership is checked against.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_shared_token_caller_naming_a_client_outside_the_members_list_is_refused_before_the_handler(CallKind kind)
    {
        var members = FederationMembership.For(new FederationSettings { Members = "site-a,site-b" }, identitiesProven: false);
        List<UpdateMessage>? read = null;

        var refusal = await Assert.ThrowsAsync<RpcException>(async () =>
            read = await Run(new ClientIdInterceptor(members), kind, Authenticated(Caller.AnyClient), Naming("site-c")));

        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Contains("client 'site-c' is not a member of this federation, whose members are site-a, site-b (--members)", refusal.Status.Detail);
        Assert.True(read is null or [], "the handler read a request for a client outside the members");
        Assert.NotNull(await Run(new ClientIdInterceptor(members), kind, Authenticated(Caller.AnyClient), Naming("site-b")));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_request_naming_no_client_passes_to_the_handler(CallKind kind)
    {
        var read = await Run(new ClientIdInterceptor(Anyone), kind, Authenticated(new Caller("client-0000")), new UpdateMessage { Chunk = new PayloadChunk() });

        Assert.NotNull(read);
        Assert.Equal(UpdateMessage.PartOneofCase.Chunk, read[0].PartCase);
    }

    [Fact]
    public async Task Health_probes_need_no_token()
    {
        var interceptor = new AuthenticationInterceptor(new SharedTokenAuthenticator(Token));
        var context = new FakeServerCallContext("/grpc.health.v1.Health/Check", Headers(null));

        Assert.NotNull(await Run(interceptor, CallKind.Unary, context, new UpdateMessage()));
    }

    private static FakeServerCallContext Authenticated(Caller caller)
    {
        var context = new FakeServerCallContext(Method, Headers(null));
        caller.AttachTo(context);
        return context;
    }
}
