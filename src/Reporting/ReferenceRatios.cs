using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

/// <summary>
/// What a run saves against its study's dense full-head reference run (codec none, no head pool, same partition and
/// seed): the reference's bytes over this run's, both counted at the socket over the same rounds. Unlike
/// <see cref="RunSummary.UplinkRatio"/>, which compares a run with uncompressed updates of its own model, this also
/// counts what a smaller (pooled) head saves. Null where either side has no bytes, or the reference ran fewer rounds.
/// <see cref="Total"/> weighs both directions together (uplink + downlink): the traffic a run really saves, since a
/// codec that shrinks the uplink a thousandfold saves little if the downlink stays dense. It is null unless both
/// directions have a ratio, so it never passes off one direction as the total.
/// </summary>
public sealed record ReferenceRatios(double? Uplink, double? Downlink, double? Total)
{
    /// <summary>Over every round the run ran.</summary>
    public static ReferenceRatios? Of(RunSummary run, RunSummary reference) =>
        run.Rounds.Count == 0 ? null : Through(run, reference, run.Rounds[^1].Round);

    /// <summary>
    /// Over rounds 1 to <paramref name="round"/> of both runs: what the same two runs stopped after that round would
    /// show, since a federation's first rounds do not depend on how many follow. Null unless both ran that far.
    /// </summary>
    public static ReferenceRatios? Through(RunSummary run, RunSummary reference, int round)
    {
        if (run.Rounds.Count == 0 || reference.Rounds.Count == 0) return null;
        if (run.Rounds[^1].Round < round || reference.Rounds[^1].Round < round) return null;
        var referenceRounds = Rounds.Through(reference.Rounds, round);
        var runRounds = Rounds.Through(run.Rounds, round);
        long referenceUplink = referenceRounds.Sum(r => r.UplinkBytes), referenceDownlink = referenceRounds.Sum(r => r.DownlinkBytes);
        long runUplink = runRounds.Sum(r => r.UplinkBytes), runDownlink = runRounds.Sum(r => r.DownlinkBytes);
        double? uplink = Quotient(referenceUplink, runUplink), downlink = Quotient(referenceDownlink, runDownlink);
        return new ReferenceRatios(uplink, downlink,
            uplink is null || downlink is null ? null : Quotient(referenceUplink + referenceDownlink, runUplink + runDownlink));
    }

    private static double? Quotient(long reference, long run) => reference > 0 && run > 0 ? (double)reference / run : null;
}
