using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PoolCompress.Coordinator.Privacy;
using PoolCompress.Coordinator.Telemetry;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Closes the round in progress: reduces it into the next model, accounts for what it cost, hands the model to the
/// central evaluation, and says what the federation does next.
/// </summary>
internal sealed class RoundCloser(
    FederationState state, RoundLifecycle lifecycle, RoundReducer reducer, CentralEvaluation central, TimeProvider time, ILogger logger)
{
    public async Task<RoundOutcome> CloseAsync(bool atDeadline, Activity? roundSpan)
    {
        var contributions = lifecycle.Current!;
        lifecycle.CountMissedDeadlines(atDeadline);
        long reduceStart = time.GetTimestamp();
        ReducedSum? sum;
        using (RoundTracing.StartAggregate(roundSpan)) sum = await reducer.ReduceAsync(contributions);
        if (sum is null) return RoundOutcome.RerunSameClients;
        if (sum.Total.Updates == 0 && contributions.Late == 0)
        {
            logger.LogWarning("Round {Round} ended without a usable update; selecting clients again", state.Round);
            return RoundOutcome.RerunNewClients;
        }
        var privacy = ClientLevelPrivacy.For(lifecycle.Settings);
        var stepped = reducer.Step(sum.Total, contributions.Attempt, privacy);
        double aggregationSeconds = sum.SummingSeconds + time.GetElapsedTime(reduceStart).TotalSeconds;
        lifecycle.MarkReduced(contributions);
        // Clients train from the published model, so that is the one whose accuracy counts. It is evaluated while
        // the next round runs; its metrics join the history when the evaluation is done.
        var evaluation = central.Start(stepped.Published);
        await reducer.CommitAsync(stepped);
        var metrics = Account(sum, stepped.Version, aggregationSeconds, privacy);
        central.RecordWhenDone(metrics, evaluation, roundSpan);
        return lifecycle.AfterClose();
    }

    /// <summary>Adds the round to each client's totals and its traffic to the silos' counts, then its metrics; sets the next clip bound.</summary>
    private RoundMetrics Account(ReducedSum sum, long version, double aggregationSeconds, ClientLevelPrivacy? privacy)
    {
        var contributions = lifecycle.Current!;
        var reports = contributions.Reports.ToList();
        foreach (var (clientId, training) in reports)
            state.ClientTotals[clientId] = (state.ClientTotals.GetValueOrDefault(clientId) ?? new ClientTotals(clientId, 0, 0, 0)).Add(training);
        var (spent, silosLost) = reducer.CloseTraffic(sum);
        if (silosLost > 0)
            logger.LogWarning("Round {Round}: {Lost} silo(s) lost; their bytes are counted up to their last traffic report", state.Round, silosLost);
        var metrics = RoundMetricsBuilder.Unevaluated(new ClosedRound(
            state.Round, state.Selected, contributions, sum.Total.Updates, version, spent, silosLost, lifecycle.RoundWallSeconds,
            aggregationSeconds, lifecycle.Links, state.ClipBound, privacy?.Epsilon(state.SpentRdp)));
        if (lifecycle.Settings.ParseAdaptiveClipping() is { } adaptive)
            state.ClipBound = adaptive.NextBound(reports.Select(r => r.Value.UpdateNorm).ToList(), state.ClipBound);
        return metrics;
    }
}
