using System.Diagnostics.Metrics;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Telemetry;

/// <summary>
/// The federation's instruments, on the coordinator's one meter (<see cref="TrafficMeter.MeterName"/>, which also
/// carries the socket counters and open connections). A round is recorded once, where its <see cref="RoundMetrics"/>
/// is made (the silo hosting the federation grain), so a cluster's scrapes add up to the run's summary; uploads in
/// flight are this silo's.
/// </summary>
public sealed class FederationMetrics
{
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    private readonly Counter<long> _rounds;
    private readonly Gauge<int> _participants;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _late;
    private readonly Counter<long> _uplink;
    private readonly Counter<long> _downlink;
    private readonly Gauge<long> _roundUplink;
    private readonly Gauge<long> _roundDownlink;
    private readonly Gauge<double> _accuracy;
    private readonly Histogram<double> _aggregation;
    private readonly Histogram<double> _roundDuration;
    private readonly UpDownCounter<long> _uploads;

    public FederationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TrafficMeter.MeterName);
        _rounds = meter.CreateCounter<long>("poolcompress.rounds", "{round}", "Completed federated rounds");
        _participants = meter.CreateGauge<int>("poolcompress.round.participants", "{client}", "Updates averaged in the last completed round");
        _rejected = meter.CreateCounter<long>("poolcompress.updates.rejected", "{update}", "Updates refused as malformed");
        _late = meter.CreateCounter<long>("poolcompress.updates.late", "{update}",
            "Selected clients whose update missed its round's deadline (real or over an emulated link)");
        _uplink = meter.CreateCounter<long>("poolcompress.uplink.bytes", "By", "Bytes received at the silos' sockets in completed rounds");
        _downlink = meter.CreateCounter<long>("poolcompress.downlink.bytes", "By", "Bytes sent at the silos' sockets in completed rounds");
        _roundUplink = meter.CreateGauge<long>("poolcompress.round.uplink.bytes", "By", "Bytes received in the last completed round");
        _roundDownlink = meter.CreateGauge<long>("poolcompress.round.downlink.bytes", "By", "Bytes sent in the last completed round");
        _accuracy = meter.CreateGauge<double>("poolcompress.accuracy", null, "Test accuracy (0 to 1) of the last published global model");
        _aggregation = meter.CreateHistogram("poolcompress.aggregation.duration", "s",
            "Aggregation time per round: adding updates into the partial sums, then collecting and reducing them", advice: SecondsBuckets);
        _roundDuration = meter.CreateHistogram("poolcompress.round.duration", "s", "Wall time per round, from its start to its new model", advice: SecondsBuckets);
        _uploads = meter.CreateUpDownCounter<long>("poolcompress.uploads.in_flight", "{upload}", "Updates being received by this silo");
    }

    public void RoundCompleted(RoundMetrics round)
    {
        _rounds.Add(1);
        _participants.Record(round.Participants);
        _rejected.Add(round.Rejected);
        _late.Add(round.Stragglers);
        _uplink.Add(round.UplinkBytes);
        _downlink.Add(round.DownlinkBytes);
        _roundUplink.Record(round.UplinkBytes);
        _roundDownlink.Record(round.DownlinkBytes);
        _accuracy.Record(round.TestAccuracy);
        _aggregation.Record(round.AggregationSeconds);
        _roundDuration.Record(round.WallSeconds);
    }

    internal void UploadStarted() => _uploads.Add(1);

    internal void UploadEnded() => _uploads.Add(-1);
}
