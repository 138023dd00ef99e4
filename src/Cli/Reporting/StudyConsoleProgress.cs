using System.Collections.Concurrent;
using PoolCompress.Contracts;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using PoolCompress.Study;
using Spectre.Console;

namespace PoolCompress.Cli.Reporting;

/// <summary>
/// A study's progress on the terminal: a live bar per run (rounds, elapsed, remaining) and a line per finished
/// run. Where output is not a terminal, or under CI, only the lines.
/// </summary>
internal sealed class StudyConsoleProgress(ProgressContext? live, int totalRuns, int alreadyFinished) : IStudyProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();
    private int _finished = alreadyFinished;

    public static bool IsInteractive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && AnsiConsole.Profile.Capabilities.Interactive;

    public static Task<T> RunAsync<T>(int totalRuns, int alreadyFinished, Func<IStudyProgress, Task<T>> study) =>
        IsInteractive
            ? AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(context => study(new StudyConsoleProgress(context, totalRuns, alreadyFinished)))
            : study(new StudyConsoleProgress(null, totalRuns, alreadyFinished));

    public IFederationObserver RunStarted(StudyRun run)
    {
        if (live is not null) _tasks[run.Id] = live.AddTask(Markup.Escape(run.Id), maxValue: run.Settings.Rounds);
        return new RunObserver(this, run.Id);
    }

    public void RunFinished(StudyRun run, RunSummary summary)
    {
        int done = Interlocked.Increment(ref _finished);
        string line = $"[{done}/{totalRuns}] {run.Id}: accuracy {summary.FinalAccuracy:P2}, uplink {RoundProgress.Bytes(summary.UplinkBytesTotal)} (x{summary.UplinkRatio:F0}), {summary.WallSeconds:F0} s";
        if (live is null) Console.WriteLine(line);
        else AnsiConsole.MarkupLine(Markup.Escape(line));
        if (_tasks.TryGetValue(run.Id, out var task)) task.StopTask();
    }

    private sealed class RunObserver(StudyConsoleProgress progress, string runId) : IFederationObserver
    {
        public void Started(ModelSummary model, FederationSettings settings, int trainSamples, string dataSource)
        {
        }

        public void RoundCompleted(RoundMetrics round)
        {
            if (progress._tasks.TryGetValue(runId, out var task)) task.Value = round.Round;
        }
    }
}
