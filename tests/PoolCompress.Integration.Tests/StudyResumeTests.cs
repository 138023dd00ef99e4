using PoolCompress.Coordinator.Federation;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using PoolCompress.Study;

namespace PoolCompress.Integration.Tests;

/// <summary>A study stopped after its first run keeps that run, and --resume finishes the rest without redoing it.</summary>
public sealed class StudyResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-study-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_interrupted_study_resumes_without_redoing_finished_runs()
    {
        string path = Path.Combine(_dir, "study.yaml");
        File.WriteAllText(path, """
            name: resume
            base: { clients: 2, rounds: 1, dataset: synthetic, min-clients: 1, local-epochs: 1, batch-size: 10 }
            grid: { codecs: ["none", "q:8"] }
            """);
        var config = StudyConfig.Load(path);
        string output = Path.Combine(_dir, "out");

        using var stop = new CancellationTokenSource();
        var interrupted = new RecordingProgress(afterFirst: stop);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StudyRunner.RunAsync(config, output, resume: false, interrupted, stop.Token));
        var kept = Assert.Single(StudyPlan.Expand(config), run => StudyRunner.IsFinished(output, run));
        string keptSummary = Path.Combine(StudyManifest.RunDirectory(output, kept.Id), RunFiles.SummaryFile);
        // The report adds the reference ratios to every run's summary, so compare what the run itself measured.
        string keptRounds = KeptRounds(keptSummary);

        await Assert.ThrowsAsync<InvalidOperationException>(() => StudyRunner.RunAsync(config, output, resume: false, new RecordingProgress(), default));
        var resumed = new RecordingProgress();
        string report = await StudyRunner.RunAsync(config, output, resume: true, resumed, default);

        Assert.DoesNotContain(kept.Id, resumed.StartedRuns);
        Assert.Single(resumed.StartedRuns);
        Assert.Equal(keptRounds, KeptRounds(keptSummary));
        Assert.All(StudyPlan.Expand(config), run => Assert.True(StudyRunner.IsFinished(output, run)));
        Assert.True(File.Exists(report));
    }

    private static string KeptRounds(string summaryPath)
    {
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(summaryPath));
        return summary.RootElement.GetProperty("rounds").GetRawText() + summary.RootElement.GetProperty("wall_seconds").GetRawText();
    }

    private sealed class RecordingProgress(CancellationTokenSource? afterFirst = null) : IStudyProgress, IFederationObserver
    {
        public List<string> StartedRuns { get; } = [];

        public IFederationObserver RunStarted(StudyRun run)
        {
            lock (StartedRuns) StartedRuns.Add(run.Id);
            return this;
        }

        public void RunFinished(StudyRun run, RunSummary summary) => afterFirst?.Cancel();

        public void Started(ModelSummary model, FederationSettings settings, int trainSamples, string dataSource)
        {
        }

        public void RoundCompleted(RoundMetrics round)
        {
        }
    }
}
