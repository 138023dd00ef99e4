using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// grpc-dotnet reads and parses the request of a unary or server-streaming call (Join, GetTask) before any
/// interceptor or handler of ours runs, and answers a failure there (a protobuf that does not parse, a length prefix
/// beyond 2 GiB) with UNKNOWN "Exception was thrown by handler.". This middleware looks at that one request message
/// first, without consuming it, and answers such a call itself: INVALID_ARGUMENT or RESOURCE_EXHAUSTED with a
/// message. Such a request is one small message (at most the receive limit), so reading it twice costs little.
/// </summary>
public sealed class RequestMessageGuard(RequestDelegate next, int maxMessageBytes)
{
    private const int PrefixBytes = 5;

    private static readonly Dictionary<string, MessageDescriptor> SingleRequests = V1.Federation.Descriptor.Methods
        .Where(method => !method.IsClientStreaming)
        .ToDictionary(method => $"/{V1.Federation.Descriptor.FullName}/{method.Name}", method => method.InputType);

    public async Task InvokeAsync(HttpContext context)
    {
        if (SingleRequests.TryGetValue(context.Request.Path.Value ?? "", out var request)
            && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true
            && await Problem(context.Request.BodyReader, request, context.RequestAborted) is { } problem)
        {
            // A trailers-only response, as gRPC answers a call that fails before any message.
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)problem.StatusCode).ToString();
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString(problem.Detail);
            return;
        }
        await next(context);
    }

    /// <summary>What is wrong with the request message, or null to let gRPC read it (also when it is incomplete or compressed: gRPC says so itself).</summary>
    private async Task<Status?> Problem(PipeReader reader, MessageDescriptor request, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var (decided, problem) = Inspect(buffer, request);
            decided |= read.IsCompleted || read.IsCanceled;
            // Nothing consumed: gRPC reads the same bytes again.
            reader.AdvanceTo(buffer.Start, decided ? buffer.Start : buffer.End);
            if (decided) return problem;
        }
    }

    /// <summary>What is wrong with the message the buffer begins, and whether that is known yet (not until its prefix or, to parse it, all of it is there).</summary>
    private (bool Decided, Status? Problem) Inspect(ReadOnlySequence<byte> buffer, MessageDescriptor request)
    {
        if (buffer.Length < PrefixBytes) return (false, null);
        var (flag, length) = Prefix(buffer);
        if (flag > 1)
            return (true, new Status(StatusCode.InvalidArgument, $"the gRPC message prefix has compression flag {flag}; it must be 0 or 1"));
        if (length > maxMessageBytes)
            return (true, new Status(StatusCode.ResourceExhausted, $"the request message announces {length} bytes; at most {maxMessageBytes} are accepted"));
        if (buffer.Length < PrefixBytes + length) return (false, null);
        return (true, flag == 0 ? ParseProblem(request, buffer.Slice(PrefixBytes, length)) : null);
    }

    private static (byte Flag, uint Length) Prefix(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        buffer.Slice(0, PrefixBytes).CopyTo(prefix);
        return (prefix[0], BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]));
    }

    private static Status? ParseProblem(MessageDescriptor request, ReadOnlySequence<byte> message)
    {
        try
        {
            request.Parser.ParseFrom(message);
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            return new Status(StatusCode.InvalidArgument, $"the request is not a {request.Name}: {e.Message}");
        }
    }
}
