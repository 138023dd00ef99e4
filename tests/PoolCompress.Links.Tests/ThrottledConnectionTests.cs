using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace PoolCompress.Links.Tests;

public class ThrottledConnectionTests
{
    [Fact(Timeout = 20_000)]
    public async Task Concurrent_http2_requests_travel_through_the_throttled_connection()
    {
        await using var server = await StartEchoServerAsync();
        var clock = new SteppingClock();
        var link = LinkProfile.Parse("up=10mbit,down=20mbit,rtt=30ms");
        using var client = new HttpClient(ThrottledConnection.CreateHandler(link, clock)) { Timeout = TimeSpan.FromSeconds(15) };
        byte[][] payloads = [.. Enumerable.Range(1, 3).Select(seed => RandomBytes(100_000, seed))];

        HttpResponseMessage[] responses = await Task.WhenAll(payloads.Select(payload => client.SendAsync(EchoRequest(server.Urls.First(), payload))));

        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.Equal(HttpVersion.Version20, responses[i].Version);
            Assert.Equal(payloads[i], await responses[i].Content.ReadAsByteArrayAsync());
        }
        // 300,000 bytes up at 10 Mbit/s is 0.24 s of pacing, whatever else the clock also counted.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.24), $"paced only {clock.Elapsed}");
    }

    private static HttpRequestMessage EchoRequest(string server, byte[] payload) => new(HttpMethod.Post, server + "/echo")
    {
        Version = HttpVersion.Version20,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Content = new ByteArrayContent(payload),
    };

    private static async Task<WebApplication> StartEchoServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost("/echo", (HttpContext context) => context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted));
        await app.StartAsync();
        return app;
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
