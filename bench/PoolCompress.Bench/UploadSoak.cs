using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Protos;
using PoolCompress.Protos.V1;

namespace PoolCompress.Bench;

/// <summary>
/// Soak (<c>bench -- soak [STALLED [IDLE]]</c>): one coordinator process, 100 joined clients that each start an upload
/// of the cnn's dense update, send its header and first chunk and then nothing, and 200 TCP connections that never
/// say a word. Prints the coordinator's resident memory before, at its highest during and after the soak, and the
/// status every stalled upload ended with. The upload deadline is shortened (grace 5 s, 1 MB/s) so the soak takes
/// seconds; the defaults (30 s, 8 KiB/s) only make it last longer.
/// </summary>
internal static class UploadSoak
{
    private const string UploadGrace = "00:00:05";
    private const int MinUploadBytesPerSecond = 1_000_000;

    public static async Task RunAsync(int stalled = 100, int idle = 200)
    {
        var work = Directory.CreateTempSubdirectory("poolcompress-soak-");
        int port = FreePort();
        using var coordinator = StartCoordinator(port, stalled, work.FullName);
        try
        {
            await coordinator.Listening.WaitAsync(TimeSpan.FromMinutes(5));
            var address = new Uri($"http://127.0.0.1:{port}");
            var channels = Enumerable.Range(0, stalled).Select(_ => GrpcChannel.ForAddress(address)).ToList();
            var clients = channels.Select(c => new Federation.FederationClient(c)).ToList();
            await Task.WhenAll(clients.Select((c, i) => c.JoinAsync(new JoinRequest { ClientId = ClientShards.ClientId(i), SampleCount = 100, ProtocolVersion = 1 }).ResponseAsync));
            await coordinator.RoundStarted.WaitAsync(TimeSpan.FromMinutes(5));
            long before = coordinator.Rss();

            var sockets = new List<TcpClient>();
            for (int i = 0; i < idle; i++)
            {
                var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                sockets.Add(socket);
            }
            byte[] payload = DenseCnnUpdate();
            var clock = Stopwatch.StartNew();
            var uploads = clients.Select((c, i) => StallAsync(c, ClientShards.ClientId(i), payload)).ToList();
            long during = before;
            var all = Task.WhenAll(uploads);
            while (!all.IsCompleted)
            {
                during = Math.Max(during, coordinator.Rss());
                await Task.WhenAny(all, Task.Delay(200));
            }
            double lastStatusSeconds = clock.Elapsed.TotalSeconds;
            foreach (var socket in sockets) socket.Dispose();
            foreach (var channel in channels) channel.Dispose();
            await Task.Delay(TimeSpan.FromSeconds(3));
            long after = coordinator.Rss();

            using var fresh = GrpcChannel.ForAddress(address);
            await new Federation.FederationClient(fresh).JoinAsync(new JoinRequest { ClientId = ClientShards.ClientId(0), SampleCount = 100, ProtocolVersion = 1 });

            Console.WriteLine($"{stalled} stalled uploads (cnn dense update, {payload.Length:N0} bytes announced, header and first chunk sent) and {idle} idle TCP connections;");
            Console.WriteLine($"upload grace {UploadGrace}, then at least {MinUploadBytesPerSecond:N0} bytes/s. Coordinator process resident memory:");
            Console.WriteLine("| phase | coordinator RSS MiB |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| before: {stalled} clients joined, round 1 open | {Mib(before):F0} |");
            Console.WriteLine($"| during: highest while the uploads stalled and the connections idled | {Mib(during):F0} |");
            Console.WriteLine($"| after: every upload answered, connections closed, 3 s later | {Mib(after):F0} |");
            foreach (var group in (await all).GroupBy(s => s))
                Console.WriteLine($"{group.Count()} uploads ended with {group.Key}");
            Console.WriteLine($"last status {lastStatusSeconds:F1} s after the uploads started; a join afterwards was answered");
        }
        finally
        {
            coordinator.Stop();
            work.Delete(recursive: true);
        }
    }

    /// <summary>Sends the header and the first chunk, then waits for the coordinator to end the call.</summary>
    private static async Task<string> StallAsync(Federation.FederationClient client, string clientId, byte[] payload)
    {
        using var call = client.PushUpdate();
        try
        {
            await call.RequestStream.WriteAsync(new UpdateMessage
            {
                Header = new UpdateHeader { ClientId = clientId, Round = 1, BaseModelVersion = 1, SampleCount = 100, PayloadBytes = payload.Length },
            });
            await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = PayloadChunks.Split(payload).First() });
            var receipt = await call.ResponseAsync;
            return $"OK (accepted: {receipt.Accepted})";
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode} \"{e.Status.Detail}\"";
        }
    }

    private static byte[] DenseCnnUpdate()
    {
        using var network = Learning.ModelFactory.Create("cnn", null, 1);
        var layout = new ModelLayout(network.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));
        return new UpdateEncoder(layout, CodecSpec.Parse("none"), new UpdateEncoderOptions { ErrorFeedback = false }).Encode(new float[layout.TotalLength]);
    }

    private static CoordinatorProcess StartCoordinator(int port, int clients, string work)
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PoolCompress.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("PoolCompress.sln not found");
        string cli = Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "poolcompress.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("build the CLI first: dotnet build src/Cli -c Release", cli);
        string count = clients.ToString(CultureInfo.InvariantCulture);
        return new CoordinatorProcess(cli, new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__UploadGrace"] = UploadGrace,
            ["POOLCOMPRESS_Coordinator__MinUploadBytesPerSecond"] = MinUploadBytesPerSecond.ToString(CultureInfo.InvariantCulture),
            ["MALLOC_ARENA_MAX"] = "2",
        },
        [
            "coordinator", "--clients", count, "--min-clients", count, "--rounds", "1", "--dataset", "synthetic", "--round-timeout", "600",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--gateway-port", FreePort().ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(work, "run"),
        ]);
    }

    private static double Mib(long bytes) => bytes / 1048576.0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The coordinator as its own process, so that its resident memory is its own and not the attackers'.</summary>
    private sealed class CoordinatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _roundStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CoordinatorProcess(string cli, IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var (name, value) in environment) info.Environment[name] = value;
            info.ArgumentList.Add(cli);
            foreach (string arg in args) info.ArgumentList.Add(arg);
            _process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
            _process.OutputDataReceived += (_, e) => Watch(e.Data);
            _process.ErrorDataReceived += (_, e) => Watch(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Task Listening => _listening.Task;

        public Task RoundStarted => _roundStarted.Task;

        /// <summary>Resident set size from /proc.</summary>
        public long Rss() => CliProcesses.Rss(_process);

        public void Stop()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }

        private void Watch(string? line)
        {
            if (line is null) return;
            if (line.Contains("listening on", StringComparison.Ordinal)) _listening.TrySetResult();
            if (line.Contains("Round 1 started", StringComparison.Ordinal)) _roundStarted.TrySetResult();
        }
    }
}
