namespace PoolCompress.Reporting;

/// <summary>
/// What a run saves against its study's dense full-head reference run (codec none, no head pool, same partition and
/// seed): the reference's bytes over this run's, both counted at the socket over the same rounds. Unlike
/// <see cref="RunSummary.UplinkRatio"/>, which compares a run with uncompressed updates of its own model, this also
/// counts what a smaller (pooled) head saves. Null where either side has no bytes, or the reference ran fewer rounds.
/// </summary>
public sealed record ReferenceRatios(double? Uplink, double? Downlink)
{
    public static ReferenceRatios? Of(RunSummary run, RunSummary reference)
    {
        if (run.Rounds.Count == 0 || reference.Rounds.Count == 0) return null;
        int lastRound = run.Rounds[^1].Round;
        if (reference.Rounds[^1].Round < lastRound) return null;
        var sameRounds = reference.Rounds.Where(r => r.Round <= lastRound).ToList();
        return new ReferenceRatios(
            Quotient(sameRounds.Sum(r => r.UplinkBytes), run.Rounds.Sum(r => r.UplinkBytes)),
            Quotient(sameRounds.Sum(r => r.DownlinkBytes), run.Rounds.Sum(r => r.DownlinkBytes)));
    }

    private static double? Quotient(long reference, long run) => reference > 0 && run > 0 ? (double)reference / run : null;
}
