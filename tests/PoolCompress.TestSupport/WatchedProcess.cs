using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PoolCompress.TestSupport;

/// <summary>
/// A CLI process whose output is read as it comes (so it never blocks on a full pipe) and kept, to show everything
/// the process said when an assertion fails; tests wait on the events it writes (the CLI's POOLCOMPRESS_EVENTS
/// file of JSON lines), never on its wording.
/// </summary>
internal sealed class WatchedProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private readonly Task _pumps;
    private readonly string _events;

    private WatchedProcess(string name, Process process, string events)
    {
        Name = name;
        _process = process;
        _events = events;
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }

    public static WatchedProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string events = EventsPath();
        return new(name, CliProcess.Start(WithEvents(environment, events), args), events);
    }

    /// <summary>The CLI started as a script's background job is, with SIGINT and SIGQUIT ignored (<see cref="CliProcess.StartAsBackgroundJob"/>).</summary>
    public static WatchedProcess StartAsBackgroundJob(string name, params string[] args)
    {
        string events = EventsPath();
        return new(name, CliProcess.StartAsBackgroundJob(WithEvents(new Dictionary<string, string>(), events), args), events);
    }

    private static string EventsPath() => Path.Combine(Path.GetTempPath(), $"poolcompress-events-{Guid.NewGuid():N}.jsonl");

    private static Dictionary<string, string> WithEvents(IReadOnlyDictionary<string, string> environment, string events) =>
        new(environment) { ["POOLCOMPRESS_EVENTS"] = events };

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved as read.</summary>
    public string Output
    {
        get
        {
            lock (_lock) return $"--- {Name} ---\n" + string.Join('\n', _lines);
        }
    }

    /// <summary>The address a coordinator serves on once it does: with <c>--port 0</c>, the port the system gave it.</summary>
    public async Task<Uri> ListeningAsync() =>
        new((await WaitForEventAsync(e => e.GetProperty("event").GetString() == "listening", "listening")).GetProperty("address").GetString()!);

    /// <summary>Waits until a coordinator has completed <paramref name="round"/>.</summary>
    public Task RoundCompletedAsync(int round) =>
        WaitForEventAsync(e => e.GetProperty("event").GetString() == "round" && e.GetProperty("round").GetInt32() >= round, $"round {round} completed");

    /// <summary>
    /// Waits until a coordinator has added an update of <paramref name="round"/>'s first attempt to its (partial) sum:
    /// the moment to kill it mid-round. Needs the aggregation's debug log level.
    /// </summary>
    public Task UpdateAddedAsync(int round) =>
        WaitForLogAsync("PoolCompress.Coordinator.Aggregation", values => values.TryGetProperty("Client", out _) && values.TryGetProperty("Count", out _)
            && Holds(values, "Round", round) && Holds(values, "Attempt", 0), $"an update of round {round} added to its sum");

    /// <summary>Waits until a client has started training <paramref name="round"/> on model version <paramref name="version"/>.</summary>
    public Task TrainingStartedAsync(int round, long version) =>
        WaitForLogAsync("PoolCompress.Client.FederationClient", values => Holds(values, "Round", round) && Holds(values, "Version", version), $"training of round {round} started");

    /// <summary>
    /// Waits for a log entry from <paramref name="category"/> (or a category under it) whose named values
    /// (<c>{"Round":3,"Attempt":0,...}</c>) satisfy <paramref name="values"/>.
    /// </summary>
    private Task WaitForLogAsync(string category, Func<JsonElement, bool> values, string awaited) =>
        WaitForEventAsync(e => e.GetProperty("event").GetString() == "log" && e.GetProperty("category").GetString()!.StartsWith(category, StringComparison.Ordinal)
            && values(e.GetProperty("properties")), awaited);

    private static bool Holds(JsonElement values, string name, long expected) =>
        values.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetInt64() == expected;

    private async Task<JsonElement> WaitForEventAsync(Func<JsonElement, bool> match, string awaited)
    {
        JsonElement? Find() => Events().Where(match).Cast<JsonElement?>().FirstOrDefault();
        JsonElement? found = null;
        try
        {
            await WaitUntil.HoldsAsync(() => (found = Find()) is not null || _process.HasExited, $"{Name} to report {awaited}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Output}", e);
        }
        // An event written just before the process exited still counts.
        return found ?? Find() ?? throw new InvalidOperationException($"{Name} exited before reporting {awaited}:\n{Output}");
    }

    /// <summary>The events written so far; a last line not yet ended is still being written.</summary>
    private List<JsonElement> Events()
    {
        if (!File.Exists(_events)) return [];
        using var stream = new FileStream(_events, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        string[] lines = new StreamReader(stream).ReadToEnd().Split('\n');
        return [.. lines[..^1].Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}:\n{Output}");
        }
        await _pumps;
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine is lost.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>
    /// Sends a signal by name (TERM, INT), as an orchestrator or a terminal would: from this process through libc, as
    /// a minimal system has no <c>kill</c> program.
    /// </summary>
    public void Signal(string name)
    {
        int number = name switch
        {
            "INT" => 2,
            "TERM" => 15,
            _ => throw new ArgumentException($"no signal number known for SIG{name}", nameof(name)),
        };
        if (LibcKill(_process.Id, number) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIG{name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int LibcKill(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        File.Delete(_events);
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (_lock) _lines.Add(line);
    }
}
