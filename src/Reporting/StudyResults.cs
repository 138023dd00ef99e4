using PoolCompress.Contracts;
namespace PoolCompress.Reporting;

/// <summary>Everything a study's report shows: the manifest, the runs that finished, and the ones that did not.</summary>
public sealed record StudyResults(
    StudyManifest Manifest,
    double? TargetAccuracy,
    IReadOnlyList<StudyRunResult> Runs,
    IReadOnlyList<StudyManifestRun> Unfinished)
{
    /// <summary>
    /// Under modeled links the loopback wall clock says nothing about the emulated network, so time is the modeled
    /// time; otherwise (no emulation, or really shaped links) it is the wall clock.
    /// </summary>
    public bool TimeIsModeled => Manifest.LinkMode == LinkMode.Modeled;

    public string TimeName => TimeIsModeled ? "modeled time" : "wall time";

    public double? TimeToTarget(StudyRunResult result) =>
        TimeIsModeled ? result.Reach?.ModeledSeconds : result.Reach?.WallSeconds;

    /// <summary>Every finished run at each of the manifest's checkpoints and at its final round, in run order.</summary>
    public IReadOnlyList<RunCheckpoint> Checkpoints() => [.. Runs.SelectMany(run => RunCheckpoint.Of(run, Manifest.Checkpoints))];

    /// <summary>A run counts as finished once its summary.json exists; RunFiles writes it atomically.</summary>
    public static StudyResults Load(string studyDir, double? targetAccuracy)
    {
        var manifest = StudyManifest.Read(studyDir);
        double? target = targetAccuracy ?? manifest.TargetAccuracy;
        var summaries = manifest.Runs
            .Where(run => File.Exists(Path.Combine(StudyManifest.RunDirectory(studyDir, run.Id), RunFiles.SummaryFile)))
            .ToDictionary(run => run.Id, run => RunFiles.Read(StudyManifest.RunDirectory(studyDir, run.Id)));
        var finished = manifest.Runs
            .Where(run => summaries.ContainsKey(run.Id))
            .Select(run => new StudyRunResult(
                run,
                summaries[run.Id],
                summaries.GetValueOrDefault(run.ReferenceId),
                target is { } t ? TargetReach.Find(summaries[run.Id].Rounds, t) : null))
            .ToList();
        return new StudyResults(manifest, target, finished, [.. manifest.Runs.Where(run => !summaries.ContainsKey(run.Id))]);
    }
}
