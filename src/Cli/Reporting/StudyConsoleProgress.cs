using System.Collections.Concurrent;
using PoolCompress.Contracts;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using PoolCompress.Study;
using Spectre.Console;

namespace PoolCompress.Cli.Reporting;

/// <summary>
/// A study's progress on the terminal: a live bar per run (rounds, elapsed, remaining) and a line per finished
/// run. Where output is not a terminal, or under CI, only the lines. A finished run's line shows the report's measure,
/// total traffic against its dense reference, read from the reference's summary in the study folder (written before
/// the runner reports a run finished, in this session or an earlier one). Runs finish side by side in any order, so
/// a run that ends before its reference shows its own uplink ratio, labelled as such, and gets its total in a line
/// of its own once the reference finishes.
/// </summary>
internal sealed class StudyConsoleProgress(ProgressContext? live, string studyDir, int totalRuns, int alreadyFinished) : IStudyProgress
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new();
    private readonly Dictionary<string, (StudyRun Run, RunSummary Summary)> _awaitingReference = [];
    private readonly Lock _lines = new();
    private int _finished = alreadyFinished;

    public static bool IsInteractive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && AnsiConsole.Profile.Capabilities.Interactive;

    public static Task<T> RunAsync<T>(string studyDir, int totalRuns, int alreadyFinished, Func<IStudyProgress, Task<T>> study) =>
        IsInteractive
            ? AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(context => study(new StudyConsoleProgress(context, studyDir, totalRuns, alreadyFinished)))
            : study(new StudyConsoleProgress(null, studyDir, totalRuns, alreadyFinished));

    public IFederationObserver RunStarted(StudyRun run)
    {
        if (live is not null) _tasks[run.Id] = live.AddTask(Markup.Escape(run.Id), maxValue: run.Settings.Rounds);
        return new RunObserver(this, run.Id);
    }

    /// <remarks>
    /// One finished run at a time: a run that misses its reference on disk is queued before the reference's own
    /// line can look for it, so no run is left without its total.
    /// </remarks>
    public void RunFinished(StudyRun run, RunSummary summary)
    {
        lock (_lines)
        {
            _finished++;
            WriteLine($"[{_finished}/{totalRuns}] {run.Id}: accuracy {summary.FinalAccuracy:P2}, uplink {RoundProgress.Bytes(summary.UplinkBytesTotal)}, " +
                $"downlink {RoundProgress.Bytes(summary.DownlinkBytesTotal)}, {Saving(run, summary)}, {summary.WallSeconds:F0} s");
            if (run.IsReference) ReportAwaiting(run, summary);
        }
        if (_tasks.TryGetValue(run.Id, out var task)) task.StopTask();
    }

    private string Saving(StudyRun run, RunSummary summary)
    {
        if (run.IsReference) return "the dense reference";
        if (FinishedReference(run) is { } reference) return TotalVsDense(summary, reference);
        _awaitingReference[run.Id] = (run, summary);
        return $"uplink x{summary.UplinkRatio:F0} vs its own uncompressed updates (total vs dense once {run.ReferenceId} finishes)";
    }

    private void ReportAwaiting(StudyRun reference, RunSummary referenceSummary)
    {
        foreach (var (run, summary) in _awaitingReference.Values.Where(w => w.Run.ReferenceId == reference.Id).ToList())
        {
            _awaitingReference.Remove(run.Id);
            WriteLine($"      {run.Id}: {TotalVsDense(summary, referenceSummary)}");
        }
    }

    /// <summary>The report's measure: the reference's uplink + downlink bytes over the run's at the same rounds.</summary>
    private static string TotalVsDense(RunSummary run, RunSummary reference) =>
        ReferenceRatios.Of(run, reference) is { Total: { } total }
            ? $"total traffic {ReportFormat.Ratio(total)} less than dense"
            : "no total vs dense (the reference ran fewer rounds, or a side sent no bytes one way)";

    private RunSummary? FinishedReference(StudyRun run)
    {
        string directory = StudyManifest.RunDirectory(studyDir, run.ReferenceId);
        return File.Exists(Path.Combine(directory, RunFiles.SummaryFile)) ? RunFiles.Read(directory) : null;
    }

    private void WriteLine(string line)
    {
        if (live is null) Console.WriteLine(line);
        else AnsiConsole.MarkupLine(Markup.Escape(line));
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
