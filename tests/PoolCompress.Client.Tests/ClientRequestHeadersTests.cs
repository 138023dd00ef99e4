using System.Net;
using Grpc.Core;
using PoolCompress.Client;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client.Tests;

/// <summary>The client's calls leave out the headers grpc-dotnet adds but the coordinator never reads: every byte of
/// them crosses the uplink on each call.</summary>
public class ClientRequestHeadersTests
{
    [Fact]
    public async Task Calls_carry_no_user_agent_nor_accepted_encodings_but_keep_their_metadata()
    {
        var recorder = new RecordingHandler();
        using var channel = FederationClient.CreateChannel(new Uri("http://127.0.0.1:1"), recorder);
        var rpc = new Protos.V1.Federation.FederationClient(channel);

        await Assert.ThrowsAsync<RpcException>(() => rpc.JoinAsync(new JoinRequest { ClientId = "client-0000" },
            new Metadata { { "authorization", "Bearer secret" } }).ResponseAsync);

        var headers = Assert.Single(recorder.Requests);
        Assert.DoesNotContain(headers, h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(headers, h => h.Key.Equals("grpc-accept-encoding", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(headers, h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase) && h.Value.Single() == "Bearer secret");
        Assert.Contains(headers, h => h.Key.Equals("TE", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<List<KeyValuePair<string, IEnumerable<string>>>> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add([.. request.Headers]);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Version = HttpVersion.Version20 });
        }
    }
}
