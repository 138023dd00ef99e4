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

    /// <summary>
    /// Redis cannot listen on port 0 and report it, so a free port is picked; a server that exits because another
    /// process took the port first is started again on another, a few times.
    /// </summary>
    public static async Task<RedisServer> StartAsync()
    {
        const string binary = "/usr/bin/redis-server";
        if (!File.Exists(binary)) throw new InvalidOperationException("redis-server is missing: apt-get install redis-server (.ci/run does)");
        for (int attempt = 1; ; attempt++)
        {
            var server = Start(binary, TestCoordinator.FreePort());
            if (await server.ListeningAsync()) return server;
            bool exited = server._process.HasExited;
            server.Dispose();
            if (!exited || attempt == 5) throw new TimeoutException($"redis-server did not listen on {server.Port}");
        }
    }

    private static RedisServer Start(string binary, int port)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(arg);
        return new RedisServer(Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server"), port);
    }

    /// <summary>Whether it accepts connections within ten seconds; false at once when it exited (its port was taken).</summary>
    private async Task<bool> ListeningAsync()
    {
        for (int attempt = 0; attempt < 100 && !_process.HasExited; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
