using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// Bytes that are not a protobuf message, or a gRPC length prefix of 4 GiB, sent straight over HTTP/2: each call is
/// answered with INVALID_ARGUMENT or RESOURCE_EXHAUSTED and a message, never UNKNOWN: on the upload stream, and on
/// Join's and GetTask's request, which grpc-dotnet parses before any interceptor or handler of ours (RequestMessageGuard).
/// </summary>
public sealed class MalformedMessageTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "PushUpdate", "garbage" },
        { "PushUpdate", "4GiB" },
        { "Join", "garbage" },
        { "Join", "4GiB" },
        { "GetTask", "garbage" },
        { "GetTask", "4GiB" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_message_gets_a_clear_status_never_unknown(string method, string kind)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>());
        // garbage: field 1 announces 100 bytes and none follow, a truncated protobuf message.
        byte[] body = kind == "garbage" ? Framed([0x0A, 0x64]) : Prefix(uint.MaxValue, 16);

        var (status, detail) = await Call(coordinator.Address, method, body);

        Assert.True(status is StatusCode.InvalidArgument or StatusCode.ResourceExhausted, $"{status}: {detail}");
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    private static byte[] Framed(byte[] message) => [.. Prefix((uint)message.Length, 0), .. message];

    /// <summary>A gRPC message prefix (not compressed, the given length) followed by some bytes.</summary>
    private static byte[] Prefix(uint length, int followingBytes)
    {
        var bytes = new byte[5 + followingBytes];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), length);
        return bytes;
    }

    private static async Task<(StatusCode Status, string Detail)> Call(Uri address, string method, byte[] body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"/poolcompress.federation.v1.Federation/{method}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var values) || response.Headers.TryGetValues(name, out values) ? values.First() : null;
        var status = (StatusCode)int.Parse(Header("grpc-status") ?? throw new InvalidOperationException($"no grpc-status in {response}"));
        return (status, Uri.UnescapeDataString(Header("grpc-message") ?? ""));
    }
}
