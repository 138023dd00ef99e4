namespace PoolCompress.Reporting;

/// <summary>
/// Turns a study folder's finished runs into STUDY_DIR/runs.csv, STUDY_DIR/checkpoints.csv and the shareable STUDY_DIR/report.html, and adds to
/// each run's summary.json its ratios to the dense reference, which only the study knows.
/// </summary>
public static class StudyReport
{
    public const string FileName = "report.html";

    /// <param name="studyDir">The folder the study runner wrote: study.json and runs/ID/summary.json for each finished run.</param>
    /// <param name="targetAccuracy">Overrides the manifest's target accuracy; null keeps the manifest's.</param>
    /// <returns>The full path of report.html.</returns>
    public static string Write(string studyDir, double? targetAccuracy)
    {
        var results = StudyResults.Load(studyDir, targetAccuracy);
        foreach (var run in results.Runs.Where(r => r.Reference is not null))
            RunFiles.WriteSummary(StudyManifest.RunDirectory(studyDir, run.Run.Id), run.Summary.WithReference(run.Reference!));
        var best = BestRun.Pick(results);
        var styles = RunStyles.For(results, best);
        RunsCsv.Write(Path.Combine(studyDir, RunsCsv.FileName), results);
        CheckpointsCsv.Write(Path.Combine(studyDir, CheckpointsCsv.FileName), results);
        string path = Path.GetFullPath(Path.Combine(studyDir, FileName));
        RunFiles.WriteAtomically(path, ReportPage.Render(results, best, styles, StudyCharts.Render(results, styles), DateTimeOffset.UtcNow));
        return path;
    }
}
