using PoolCompress.Contracts;
using PoolCompress.Learning;
using PoolCompress.Reporting;
using PoolCompress.Simulation;

namespace PoolCompress.Study;

/// <summary>Follows a study: which runs are under way, their rounds, and which finished.</summary>
public interface IStudyProgress
{
    IFederationObserver RunStarted(StudyRun run);

    void RunFinished(StudyRun run, RunSummary summary);
}

/// <summary>
/// Runs a study's federations (side by side when the config allows), writing each run's results the moment it
/// ends, so an interrupted study keeps what it finished and a resumed one skips it; then writes the report.
/// </summary>
public static class StudyRunner
{
    public static async Task<string> RunAsync(StudyConfig config, string studyDir, bool resume, IStudyProgress progress, CancellationToken cancellationToken)
    {
        var runs = StudyPlan.Expand(config);
        var finished = runs.Where(run => IsFinished(studyDir, run)).ToList();
        if (finished.Count > 0 && !resume)
            throw new InvalidOperationException(
                $"{studyDir} already holds {finished.Count} finished run(s) of this study; pass --resume to keep them, or choose another --out");
        Directory.CreateDirectory(studyDir);
        StudyPlan.Manifest(config).Write(studyDir);

        var pending = runs.Except(finished).ToList();
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = config.Parallel, CancellationToken = cancellationToken },
            async (run, token) =>
            {
                string directory = StudyManifest.RunDirectory(studyDir, run.Id);
                string? modelPath = config.Deployment.Count > 0 ? Path.Combine(directory, StudyDeployment.ModelFile) : null;
                var summary = await SimulatedFederation.RunAsync(Configuration(run), progress.RunStarted(run), verbose: false, token, modelPath);
                if (modelPath is not null)
                    summary = summary with { Deployment = StudyDeployment.Measure(directory, config.Deployment, DatasetCatalog.Load(run.Settings.Dataset, run.DataDir, null).Test) };
                RunFiles.Write(directory, summary);
                progress.RunFinished(run, summary);
            });
        return StudyReport.Write(studyDir, config.TargetAccuracy);
    }

    public static bool IsFinished(string studyDir, StudyRun run) =>
        File.Exists(Path.Combine(StudyManifest.RunDirectory(studyDir, run.Id), RunFiles.SummaryFile));

    private static Dictionary<string, string?> Configuration(StudyRun run)
    {
        var configuration = new Dictionary<string, string?>(run.Settings.ToConfiguration());
        if (run.DataDir is not null) configuration[FederationOptions.DataDirKey] = run.DataDir;
        return configuration;
    }
}
