using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace PoolCompress.Federation.Tests;

/// <summary>
/// A CLI process whose output is read as it comes (so it never blocks on a full pipe) and kept, so that a test can
/// wait for a line and still show everything the process said when an assertion fails.
/// </summary>
internal sealed class WatchedProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private readonly Task _pumps;
    private TaskCompletionSource _lineAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WatchedProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public string Name { get; }

    public static WatchedProcess Start(string name, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(name, CliProcess.Start(environment, args));

    /// <summary>The CLI started as a script's background job is, with SIGINT and SIGQUIT ignored (<see cref="CliProcess.StartAsBackgroundJob"/>).</summary>
    public static WatchedProcess StartAsBackgroundJob(string name, params string[] args) => new(name, CliProcess.StartAsBackgroundJob(args));

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved as read.</summary>
    public string Output
    {
        get
        {
            lock (_lock) return $"--- {Name} ---\n" + string.Join('\n', _lines);
        }
    }

    /// <summary>Waits until the process has written a line matching <paramref name="pattern"/> (earlier lines count).</summary>
    public async Task WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        int checkedLines = 0;
        while (true)
        {
            Task added;
            lock (_lock)
            {
                for (; checkedLines < _lines.Count; checkedLines++)
                    if (pattern.IsMatch(_lines[checkedLines])) return;
                if (_pumps.IsCompleted) throw new InvalidOperationException($"{Name} exited before writing a line matching {pattern}:\n{Output}");
                added = _lineAdded.Task;
            }
            await Task.WhenAny(added, _pumps).WaitAsync(cancel.Token);
        }
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
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            TaskCompletionSource added;
            lock (_lock)
            {
                _lines.Add(line);
                added = _lineAdded;
                _lineAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            added.TrySetResult();
        }
    }
}
