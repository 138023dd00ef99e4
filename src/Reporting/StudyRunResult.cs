namespace PoolCompress.Reporting;

/// <summary>A finished run of a study, beside its dense reference (null while the reference has not finished).</summary>
public sealed record StudyRunResult(StudyManifestRun Run, RunSummary Summary, RunSummary? Reference, TargetReach? Reach)
{
    /// <summary>Final accuracy minus the dense reference's; what compression or pooling cost (negative) or gained.</summary>
    public double? AccuracyDeltaVsDense => Reference is null ? null : Summary.FinalAccuracy - Reference.FinalAccuracy;

    /// <summary>The dense reference's bytes over this run's at the same rounds; null while the reference has not finished.</summary>
    public ReferenceRatios? VsReference => Reference is null ? null : ReferenceRatios.Of(Summary, Reference);

    public int FinalRound => Summary.Rounds.Count == 0 ? 0 : Summary.Rounds[^1].Round;

    public double ModeledSeconds => Summary.Rounds.Sum(r => r.ModeledSeconds);
}
