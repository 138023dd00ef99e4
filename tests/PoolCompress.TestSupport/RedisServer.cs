using System.Diagnostics;
using System.Net.Sockets;

namespace PoolCompress.TestSupport;

/// <summary>A throwaway redis-server (Debian's package) on a free loopback port, with no persistence of its own.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        const string binary = "/usr/bin/redis-server";
        if (!File.Exists(binary)) throw new InvalidOperationException("redis-server is missing: apt-get install redis-server (.ci/run does)");
        int port = TestCoordinator.FreePort();
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        var server = new RedisServer(process, port);
        for (int attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        server.Dispose();
        throw new TimeoutException($"redis-server did not listen on {port}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
