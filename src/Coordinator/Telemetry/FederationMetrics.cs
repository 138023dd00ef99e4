using System.Diagnostics.Metrics;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Telemetry;

/// <summary>
/// The federation's instruments, on the coordinator's one meter (<see cref="TrafficMeter.MeterName"/>, which also
/// carries the socket counters and open connections). A round is recorded once, where its <see cref="RoundMetrics"/>
/// is made (the silo hosting the federation grain), so a cluster's scrapes add up to the run's summary; uploads in
/// flight are this silo's. Totals and last-round values are observed when read, so nothing is reported before the
/// first round completes.
/// </summary>
public sealed class FederationMetrics
{
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    private readonly Histogram<double> _aggregation;
    private readonly Histogram<double> _roundDuration;
    private readonly UpDownCounter<long> _uploads;
    private readonly Lock _recording = new();
    private Totals _totals;
    private RoundMetrics? _last;

    /// <summary>Sums over the completed rounds.</summary>
    private readonly record struct Totals(long Rounds, long Rejected, long Late, long Uplink, long Downlink);

    public FederationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TrafficMeter.MeterName);
        meter.CreateObservableCounter("poolcompress.rounds", () => Read().Rounds, "{round}", "Completed federated rounds");
        meter.CreateObservableCounter("poolcompress.updates.rejected", () => Read().Rejected, "{update}", "Updates refused as malformed");
        meter.CreateObservableCounter("poolcompress.updates.late", () => Read().Late, "{update}",
            "Selected clients whose update missed its round's deadline (real or over an emulated link)");
        meter.CreateObservableCounter("poolcompress.uplink.bytes", () => Read().Uplink, "By", "Bytes received at the silos' sockets in completed rounds");
        meter.CreateObservableCounter("poolcompress.downlink.bytes", () => Read().Downlink, "By", "Bytes sent at the silos' sockets in completed rounds");
        meter.CreateObservableGauge("poolcompress.round.participants", () => Last(r => r.Participants), "{client}", "Updates averaged in the last completed round");
        meter.CreateObservableGauge("poolcompress.round.uplink.bytes", () => Last(r => r.UplinkBytes), "By", "Bytes received in the last completed round");
        meter.CreateObservableGauge("poolcompress.round.downlink.bytes", () => Last(r => r.DownlinkBytes), "By", "Bytes sent in the last completed round");
        meter.CreateObservableGauge("poolcompress.accuracy", () => Last(r => r.TestAccuracy), null, "Test accuracy (0 to 1) of the last published global model");
        _aggregation = meter.CreateHistogram("poolcompress.aggregation.duration", "s",
            "Aggregation time per round: adding updates into the partial sums, then collecting and reducing them", advice: SecondsBuckets);
        _roundDuration = meter.CreateHistogram("poolcompress.round.duration", "s", "Wall time per round, from its start to its new model", advice: SecondsBuckets);
        _uploads = meter.CreateUpDownCounter<long>("poolcompress.uploads.in_flight", "{upload}", "Updates being received by this silo");
    }

    public void RoundCompleted(RoundMetrics round)
    {
        lock (_recording)
        {
            _totals = new Totals(_totals.Rounds + 1, _totals.Rejected + round.Rejected, _totals.Late + round.Stragglers,
                _totals.Uplink + round.UplinkBytes, _totals.Downlink + round.DownlinkBytes);
            _last = round;
        }
        _aggregation.Record(round.AggregationSeconds);
        _roundDuration.Record(round.WallSeconds);
    }

    internal void UploadStarted() => _uploads.Add(1);

    internal void UploadEnded() => _uploads.Add(-1);

    private Totals Read()
    {
        lock (_recording) return _totals;
    }

    private IEnumerable<Measurement<T>> Last<T>(Func<RoundMetrics, T> value) where T : struct
    {
        RoundMetrics? last;
        lock (_recording) last = _last;
        return last is null ? [] : [new Measurement<T>(value(last))];
    }
}
