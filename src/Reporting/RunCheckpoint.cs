namespace PoolCompress.Reporting;

/// <summary>
/// A study run as it stood after <see cref="Round"/>, beside its dense reference after the same round: what a run of
/// the same settings stopped there would have ended with, since a federation's first rounds (selection, training,
/// codec state) do not depend on how many follow. Bytes are summed over rounds 1 to <see cref="Round"/>.
/// </summary>
/// <param name="AccuracyDeltaVsDense">Accuracy minus the reference's after the same round; null while the reference has not run that far.</param>
/// <param name="VsReference">The reference's bytes over this run's over the same rounds; null while the reference has not run that far.</param>
public sealed record RunCheckpoint(
    StudyRunResult Result,
    int Round,
    double Accuracy,
    double? AccuracyDeltaVsDense,
    ReferenceRatios? VsReference,
    long UplinkBytes,
    long DownlinkBytes)
{
    /// <summary>Null when the run has no record of <paramref name="round"/>.</summary>
    public static RunCheckpoint? At(StudyRunResult result, int round)
    {
        if (result.Summary.Rounds.FirstOrDefault(r => r.Round == round) is not { } metrics) return null;
        var reference = result.Reference;
        double? referenceAccuracy = reference?.Rounds.FirstOrDefault(r => r.Round == round)?.TestAccuracy;
        var rounds = Rounds.Through(result.Summary.Rounds, round);
        return new RunCheckpoint(
            result,
            round,
            metrics.TestAccuracy,
            metrics.TestAccuracy - referenceAccuracy,
            reference is null ? null : ReferenceRatios.Through(result.Summary, reference, round),
            rounds.Sum(r => r.UplinkBytes),
            rounds.Sum(r => r.DownlinkBytes));
    }

    /// <summary>
    /// The run at each of <paramref name="checkpoints"/> it ran past, then at its final round, which every run is
    /// shown at whether or not it is listed.
    /// </summary>
    public static IEnumerable<RunCheckpoint> Of(StudyRunResult result, IReadOnlyList<int> checkpoints) =>
        checkpoints.Where(round => round < result.FinalRound).Append(result.FinalRound)
            .Select(round => At(result, round)).OfType<RunCheckpoint>();
}
