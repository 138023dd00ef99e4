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
using static PoolCompress.Bench.CliProcesses;

namespace PoolCompress.Bench;

/// <summary>
/// Soak (<c>bench -- soak [STALLED [IDLE [WAVES]]]</c>): one coordinator process, 100 joined clients that each start an upload
/// of the cnn's dense update, send its header and first chunk and then nothing, and 200 TCP connections that never
/// say a word; in waves (two by default), since the round runs again once every upload was cut off. Prints the coordinator's resident
/// memory before, at its highest during and after each wave, and the status every stalled upload ended with. The upload deadline is shortened (grace 5 s, 1 MB/s) so the soak takes
/// seconds; the defaults (30 s, 8 KiB/s) only make it last longer.
/// </summary>
internal static class UploadSoak
{
    private const string UploadGrace = "00:00:05";
    private const int MinUploadBytesPerSecond = 1_000_000;

    public static async Task RunAsync(int stalled = 100, int idle = 200, int waves = 2)
    {
        var work = Directory.CreateTempSubdirectory("poolcompress-soak-");
        int port = FreePort();
        using var coordinator = StartCoordinator(port, stalled, work.FullName);
        try
        {
            await coordinator.Listening.WaitAsync(TimeSpan.FromMinutes(5));
            var address = new Uri($"http://127.0.0.1:{port}");
            ulong layout = 0;
            using (var channel = GrpcChannel.ForAddress(address))
            {
                // One at a time: a connection carries at most Coordinator:MaxStreamsPerConnection calls at once.
                var client = new Federation.FederationClient(channel);
                for (int i = 0; i < stalled; i++) layout = (await client.JoinAsync(Join(i))).Config.LayoutFingerprint;
            }
            await coordinator.AttemptStarted(0).WaitAsync(TimeSpan.FromMinutes(5));
            long before = coordinator.Rss();
            byte[] payload = DenseCnnUpdate();

            Console.WriteLine($"{stalled} stalled uploads (cnn dense update, {payload.Length:N0} bytes announced, header and first chunk sent) and {idle} idle TCP connections,");
            Console.WriteLine($"{waves} times (the round runs again after every upload was cut off); upload grace {UploadGrace}, then at least {MinUploadBytesPerSecond:N0} bytes/s.");
            Console.WriteLine("| phase | coordinator RSS MiB |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| before: {stalled} clients joined, round 1 open | {Mib(before):F0} |");
            var statuses = new List<string>();
            for (int wave = 1; wave <= waves; wave++)
            {
                await coordinator.AttemptStarted(wave - 1).WaitAsync(TimeSpan.FromMinutes(5));
                var (during, after, seconds, answers) = await WaveAsync(coordinator, address, port, stalled, idle, new Upload(payload, layout), before);
                statuses.AddRange(answers);
                Console.WriteLine($"| wave {wave}, during: highest while the uploads stalled and the connections idled | {Mib(during):F0} |");
                Console.WriteLine($"| wave {wave}, after: every upload answered (the last {seconds:F1} s after they began), connections closed, 3 s later | {Mib(after):F0} |");
            }
            using (var channel = GrpcChannel.ForAddress(address))
                await new Federation.FederationClient(channel).JoinAsync(Join(0));
            foreach (var group in statuses.GroupBy(s => s))
                Console.WriteLine($"{group.Count()} uploads ended with {group.Key}");
            Console.WriteLine("a join afterwards was answered");
        }
        finally
        {
            coordinator.Stop();
            work.Delete(recursive: true);
        }
    }

    /// <summary>What every stalled upload announces: the payload, and the layout the join reply named.</summary>
    private sealed record Upload(byte[] Payload, ulong LayoutFingerprint);

    private static JoinRequest Join(int client) => new() { ClientId = ClientShards.ClientId(client), SampleCount = 100, ProtocolVersion = 1 };

    /// <summary>
    /// Opens the idle connections and the stalled uploads, waits until the coordinator has answered every upload, closes
    /// them all and reads the coordinator's RSS 3 s later.
    /// </summary>
    private static async Task<(long During, long After, double Seconds, string[] Statuses)> WaveAsync(
        CoordinatorProcess coordinator, Uri address, int port, int stalled, int idle, Upload upload, long before)
    {
        var sockets = new List<TcpClient>();
        var channels = Enumerable.Range(0, stalled).Select(_ => GrpcChannel.ForAddress(address)).ToList();
        try
        {
            for (int i = 0; i < idle; i++)
            {
                var socket = new TcpClient();
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port);
            }
            var clock = Stopwatch.StartNew();
            var all = Task.WhenAll(channels.Select((c, i) => StallAsync(new Federation.FederationClient(c), ClientShards.ClientId(i), upload)));
            long during = before;
            while (!all.IsCompleted)
            {
                during = Math.Max(during, coordinator.Rss());
                await Task.WhenAny(all, Task.Delay(200));
            }
            double seconds = clock.Elapsed.TotalSeconds;
            var statuses = await all;
            Close(sockets, channels);
            await Task.Delay(TimeSpan.FromSeconds(3));
            return (during, coordinator.Rss(), seconds, statuses);
        }
        finally
        {
            Close(sockets, channels);
        }
    }

    private static void Close(List<TcpClient> sockets, List<GrpcChannel> channels)
    {
        foreach (var socket in sockets) socket.Dispose();
        foreach (var channel in channels) channel.Dispose();
    }

    /// <summary>Sends the header and the first chunk, then waits for the coordinator to end the call.</summary>
    private static async Task<string> StallAsync(Federation.FederationClient client, string clientId, Upload upload)
    {
        using var call = client.PushUpdate();
        try
        {
            await call.RequestStream.WriteAsync(new UpdateMessage
            {
                Header = new UpdateHeader
                {
                    ClientId = clientId, Round = 1, BaseModelVersion = 1, SampleCount = 100, PayloadBytes = upload.Payload.Length,
                    LayoutFingerprint = upload.LayoutFingerprint,
                },
            });
            await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = PayloadChunks.Split(upload.Payload).First() });
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
        string count = clients.ToString(CultureInfo.InvariantCulture);
        return new CoordinatorProcess(CliProcesses.Start(
        [
            "coordinator", "--clients", count, "--min-clients", count, "--rounds", "1", "--dataset", "synthetic", "--round-timeout", "600",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture),
            "--gateway-port", FreePort().ToString(CultureInfo.InvariantCulture), "--out", Path.Combine(work, "run"),
        ],
        new Dictionary<string, string>
        {
            ["POOLCOMPRESS_Coordinator__UploadGrace"] = UploadGrace,
            ["POOLCOMPRESS_Coordinator__MinUploadBytesPerSecond"] = MinUploadBytesPerSecond.ToString(CultureInfo.InvariantCulture),
        }));
    }

    /// <summary>The coordinator as its own process, so that its resident memory is its own and not the attackers'.</summary>
    private sealed class CoordinatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _attempts = new();

        public CoordinatorProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Watch(e.Data);
            _process.ErrorDataReceived += (_, e) => Watch(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Task Listening => _listening.Task;

        /// <summary>Completes when attempt <paramref name="attempt"/> of round 1 has started.</summary>
        public Task AttemptStarted(int attempt) => Attempt(attempt).Task;

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
            var started = System.Text.RegularExpressions.Regex.Match(line, @"Round 1 started \(attempt (\d+)\)");
            if (started.Success) Attempt(int.Parse(started.Groups[1].Value, CultureInfo.InvariantCulture)).TrySetResult();
        }

        private TaskCompletionSource Attempt(int attempt) =>
            _attempts.GetOrAdd(attempt, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
