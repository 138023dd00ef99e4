using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PoolCompress.Protos;
using PoolCompress.Protos.V1;
using static PoolCompress.Bench.CliProcesses;
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;

namespace PoolCompress.Bench;

/// <summary>
/// Soak with hostile connections (<c>bench -- hostile-soak [HOSTILE [HONEST [ROUNDS]]]</c>, default 1,000, 100, 20):
/// a coordinator process (the mlp on synthetic digits, the operator's <c>--members</c> list of the honest ids, its
/// managed heap capped at 512 MiB as docs/hostile-clients.md advises, uploads cut off after 5 s at 1 MB/s) and two
/// client processes hosting the honest clients, run once alone and once beside HOSTILE connections from this process
/// that, until the last round, stall (a push that never sends its header, a TCP connection that never speaks), flood
/// (bursts of joins and task polls for ids outside the members), send bad payloads (bytes that are no protobuf message)
/// and bad ids (malformed or not members). Prints the rounds completed, each run's final accuracy, the coordinator's
/// peak resident memory, the honest updates accepted and refused, and what the hostile calls got.
/// </summary>
internal static class HostileSoak
{
    private const string HeapCap = "0x20000000";
    private const string UploadGrace = "00:00:05";
    private const int MinUploadBytesPerSecond = 1_000_000;
    private const int ClientProcesses = 2;
    private const int FloodBurst = 8;
    /// <summary>Synthetic digits give each of 100 clients 20 samples, one batch: a few local steps a round let the mlp learn in 20 rounds.</summary>
    private const int LocalEpochs = 5;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    private static readonly string[] Kinds = ["idle TCP connection", "stalled push (no header)", "flood of calls for outsiders", "bytes that are no message", "bad or outside ids"];

    private sealed record Outcome(int RoundsCompleted, double FinalAccuracy, long PeakRss, long AcceptedUpdates, long RejectedUpdates, double Seconds);

    /// <summary>Runs with HOSTILE, HONEST and ROUNDS from <paramref name="args"/>, each defaulted when left out.</summary>
    public static Task RunAsync(IReadOnlyList<string> args)
    {
        int[] defaults = [1_000, 100, 20];
        var counts = defaults.Select((fallback, i) => i < args.Count ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback).ToArray();
        return RunAsync(counts[0], counts[1], counts[2]);
    }

    private static async Task RunAsync(int hostile, int honest, int rounds)
    {
        Console.WriteLine($"mlp, synthetic digits, {honest} honest clients in {ClientProcesses} processes, {rounds} rounds, E={LocalEpochs}, seed 42; coordinator heap capped at 512 MiB " +
            $"(DOTNET_GCHeapHardLimit={HeapCap}), upload grace {UploadGrace} then {MinUploadBytesPerSecond:N0} B/s, --members the honest ids");
        var clean = await RunFederationAsync(honest, rounds, hostile: 0, new ConcurrentDictionary<string, long>());
        var answers = new ConcurrentDictionary<string, long>();
        var attacked = await RunFederationAsync(honest, rounds, hostile, answers);
        Console.WriteLine("| run | rounds completed | final accuracy | vs clean | coordinator peak RSS MiB | honest updates accepted | refused | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Print("clean", clean, clean);
        Print($"{hostile:N0} hostile connections", attacked, clean);
        Console.WriteLine($"hostile connections: {string.Join(", ", Enumerable.Range(0, Kinds.Length).Select(k => $"{Share(hostile, k)} {Kinds[k]}"))}");
        foreach (var (answer, count) in answers.OrderBy(a => a.Key, StringComparer.Ordinal)) Console.WriteLine($"{count,8:N0} x {answer}");
    }

    private static void Print(string run, Outcome outcome, Outcome clean) =>
        Console.WriteLine($"| {run} | {outcome.RoundsCompleted} | {outcome.FinalAccuracy:P2} | {(outcome.FinalAccuracy - clean.FinalAccuracy) * 100:+0.00;-0.00;0.00} points | " +
            $"{Mib(outcome.PeakRss):F0} | {outcome.AcceptedUpdates:N0} | {outcome.RejectedUpdates:N0} | {outcome.Seconds:F0} |");

    /// <summary>How many of <paramref name="hostile"/> connections are of kind <paramref name="kind"/> (connection i is of kind i mod the kinds).</summary>
    private static int Share(int hostile, int kind) => hostile / Kinds.Length + (kind < hostile % Kinds.Length ? 1 : 0);

    private static async Task<Outcome> RunFederationAsync(int honest, int rounds, int hostile, ConcurrentDictionary<string, long> answers)
    {
        var work = Directory.CreateTempSubdirectory("poolcompress-hostile-soak-");
        int port = FreePort();
        var processes = new List<Process>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ScaleRun.StopAll(processes);
        using var attack = new CancellationTokenSource();
        try
        {
            string[] federation = ["--clients", Count(honest), "--dataset", "synthetic", "--seed", "42"];
            var coordinator = StartCoordinator(port, honest, rounds, hostile, federation, Path.Combine(work.FullName, "run"));
            processes.Add(coordinator);
            var lines = new RoundLines(coordinator, "coordinator");
            await lines.ListeningAsync();
            var clock = Stopwatch.StartNew();
            StartHonestClients(port, honest, federation, processes);
            using var peak = new ScaleRun.PeakMemory([coordinator]);
            var address = new Uri($"http://127.0.0.1:{port}");
            var attackers = Enumerable.Range(0, hostile).Select(i => AttackAsync(i, address, port, answers, attack.Token)).ToList();
            for (int round = 1; round <= rounds; round++) await lines.NextRoundAsync();
            await attack.CancelAsync();
            await Task.WhenAll(attackers);
            await Task.WhenAll(processes.Select(p => p.WaitForExitAsync()));
            return Read(Path.Combine(work.FullName, "run", "summary.json"), peak.HighestOf(0), clock.Elapsed.TotalSeconds);
        }
        finally
        {
            await attack.CancelAsync();
            ScaleRun.StopAll(processes);
            work.Delete(recursive: true);
        }
    }

    private static Process StartCoordinator(int port, int honest, int rounds, int hostile, string[] federation, string output)
    {
        string members = string.Join(',', Enumerable.Range(0, honest).Select(FederationMembers.IdOf));
        return CliProcesses.Start(environment: new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = HeapCap,
            ["POOLCOMPRESS_Coordinator__UploadGrace"] = UploadGrace,
            ["POOLCOMPRESS_Coordinator__MinUploadBytesPerSecond"] = Count(MinUploadBytesPerSecond),
            // Kestrel's default bound (1,000) is sized for a federation, not for one plus a thousand attackers' sockets.
            ["POOLCOMPRESS_Coordinator__MaxConnections"] = Count(hostile + honest + 100),
        }, args: [
            "coordinator", "--port", Count(port), "--silo-port", Count(FreePort()), "--gateway-port", Count(FreePort()),
            .. federation, "--min-clients", Count(honest), "--members", members, "--model", "mlp", "--rounds", Count(rounds),
            "--local-epochs", Count(LocalEpochs), "--round-timeout", "600", "--out", output,
        ]);
    }

    private static void StartHonestClients(int port, int honest, string[] federation, List<Process> processes)
    {
        int perProcess = (honest + ClientProcesses - 1) / ClientProcesses;
        for (int first = 0; first < honest; first += perProcess)
        {
            var client = CliProcesses.Start([
                "client", "--coordinator", $"http://127.0.0.1:{port}", .. federation,
                "--client-index", Count(first), "--virtual-clients", Count(Math.Min(perProcess, honest - first)),
            ]);
            ScaleRun.Drain(client);
            processes.Add(client);
        }
    }

    private static Outcome Read(string summaryPath, long peakRss, double seconds)
    {
        var summary = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement;
        var rounds = summary.GetProperty("rounds").EnumerateArray().ToList();
        return new Outcome(rounds.Count, summary.GetProperty("final_accuracy").GetDouble(), peakRss,
            rounds.Sum(r => r.GetProperty("participants").GetInt64()), rounds.Sum(r => r.GetProperty("rejected").GetInt64()), seconds);
    }

    /// <summary>One hostile connection of kind <c>index mod kinds</c>, until <paramref name="stop"/>; every answer is counted under its kind.</summary>
    private static async Task AttackAsync(int index, Uri address, int port, ConcurrentDictionary<string, long> answers, CancellationToken stop)
    {
        int kind = index % Kinds.Length;
        Task Answer(Func<Task> call) => Count(answers, Kinds[kind], call);
        if (kind == 0)
        {
            using var idle = new TcpClient();
            await Answer(async () => await idle.ConnectAsync(IPAddress.Loopback, port, stop));
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        using var channel = GrpcChannel.ForAddress(address);
        var client = new Federation.FederationClient(channel);
        var calls = channel.CreateCallInvoker();
        string outsider = $"intruder-{index:D4}";
        while (!stop.IsCancellationRequested)
        {
            var options = new CallOptions(cancellationToken: stop);
            await (kind switch
            {
                1 => Answer(async () => { using var push = client.PushUpdate(options); await push.ResponseAsync; }),
                2 => Task.WhenAll(Enumerable.Range(0, FloodBurst).Select(k => k % 2 == 0
                    ? Answer(async () => await client.JoinAsync(new JoinRequest { ClientId = outsider, SampleCount = long.MaxValue, ProtocolVersion = 1 }, options))
                    : Answer(async () => { using var poll = client.GetTask(new TaskRequest { ClientId = outsider }, options); await poll.ResponseStream.MoveNext(stop); }))),
                3 => Answer(async () => await calls.AsyncUnaryCall(Garbage, null, options, Enumerable.Repeat((byte)0xFF, 64 + index % 512).ToArray())),
                _ => Answer(async () => await client.JoinAsync(new JoinRequest { ClientId = BadId(index), SampleCount = 100, ProtocolVersion = 1 }, options)),
            });
            await Task.Delay(Pause, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Join, taking bytes that are no JoinRequest.</summary>
    private static readonly Method<byte[], byte[]> Garbage = new(MethodType.Unary, Federation.Descriptor.FullName, "Join",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    /// <summary>A malformed id, an over-long one, or a well-formed one that names a client past the members.</summary>
    private static string BadId(int index) => (index / Kinds.Length % 3) switch
    {
        0 => "client 0001; drop",
        1 => new string('x', 4_096),
        _ => FederationMembers.IdOf(100_000 + index),
    };

    /// <summary>Runs one hostile call and counts its answer (OK or the status code) under <paramref name="kind"/>; a call cancelled at the end is not counted.</summary>
    private static async Task Count(ConcurrentDictionary<string, long> answers, string kind, Func<Task> call)
    {
        string answer;
        try
        {
            await call();
            answer = "OK";
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled)
        {
            return;
        }
        catch (RpcException e)
        {
            answer = e.StatusCode.ToString();
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is SocketException or IOException or HttpRequestException)
        {
            answer = $"connection failed ({e.GetType().Name})";
        }
        answers.AddOrUpdate($"{kind}: {answer}", 1, (_, count) => count + 1);
    }

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
