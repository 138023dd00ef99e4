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
    public static ReferenceRatios? Of(RunSummary run, RunSummary reference)
    {
        if (run.Rounds.Count == 0 || reference.Rounds.Count == 0) return null;
        int lastRound = run.Rounds[^1].Round;
        if (reference.Rounds[^1].Round < lastRound) return null;
        var sameRounds = reference.Rounds.Where(r => r.Round <= lastRound).ToList();
        long referenceUplink = sameRounds.Sum(r => r.UplinkBytes), referenceDownlink = sameRounds.Sum(r => r.DownlinkBytes);
        long runUplink = run.Rounds.Sum(r => r.UplinkBytes), runDownlink = run.Rounds.Sum(r => r.DownlinkBytes);
        double? uplink = Quotient(referenceUplink, runUplink), downlink = Quotient(referenceDownlink, runDownlink);
        return new ReferenceRatios(uplink, downlink,
            uplink is null || downlink is null ? null : Quotient(referenceUplink + referenceDownlink, runUplink + runDownlink));
    }

    private static double? Quotient(long reference, long run) => reference > 0 && run > 0 ? (double)reference / run : null;
}
