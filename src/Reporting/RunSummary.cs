using System.Text.Json.Serialization;
using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

/// <summary>
/// The contents of summary.json: what ran, on which model, and what every round achieved and cost. In a study, the
/// report adds the ratios to the dense reference run (<see cref="ReferenceRatios"/>); elsewhere they are absent.
/// </summary>
public sealed record RunSummary(
    FederationSettings Config,
    ModelSummary Model,
    IReadOnlyList<RoundMetrics> Rounds,
    double FinalAccuracy,
    long UplinkBytesTotal,
    long DownlinkBytesTotal,
    double WallSeconds,
    string DataSource,
    string Codec,
    double UplinkRatio,
    IReadOnlyList<ClientTotals> Clients,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? UplinkRatioVsReference = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? DownlinkRatioVsReference = null,
    DataSummary? Data = null,
    double DownlinkRatio = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? TrafficRatioVsReference = null)
{
    /// <summary>The final model's exports as a study asked for them (its <c>deployment</c> section), each engine measured; null when none was asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DeploymentMetrics>? Deployment { get; init; }

    public static RunSummary From(FederationStatus status, ModelSummary model, double wallSeconds, DataSummary data)
    {
        var settings = status.Settings ?? throw new InvalidOperationException("the federation has no settings");
        long uplink = status.History.Sum(r => r.UplinkBytes);
        return new RunSummary(
            settings,
            model,
            status.History,
            status.History.Count == 0 ? 0 : status.History[^1].TestAccuracy,
            uplink,
            status.History.Sum(r => r.DownlinkBytes),
            wallSeconds,
            data.Source,
            settings.Codec,
            RatioToDense(status.History, model.Parameters, uplink),
            status.Clients,
            Data: data,
            DownlinkRatio: DownlinkRatioToDense(status.History, model.Parameters));
    }

    /// <summary>This summary with its ratios to the dense reference run (see <see cref="ReferenceRatios"/>).</summary>
    public RunSummary WithReference(RunSummary reference) =>
        ReferenceRatios.Of(this, reference) is { } ratios
            ? this with { UplinkRatioVsReference = ratios.Uplink, DownlinkRatioVsReference = ratios.Downlink, TrafficRatioVsReference = ratios.Total }
            : this;

    /// <summary>
    /// What uncompressed FedAvg would have sent up (every participant's update as bare float32, no framing at all)
    /// over what really crossed the socket, framing included: a conservative compression ratio.
    /// </summary>
    private static double RatioToDense(IReadOnlyList<RoundMetrics> rounds, int parameters, long measuredUplink) =>
        measuredUplink == 0 ? 0 : rounds.Sum(r => (double)r.Participants * parameters * sizeof(float)) / measuredUplink;

    /// <summary>
    /// What dense FedAvg would have sent down (the whole float32 model to every selected client, no framing) over what
    /// really crossed the socket: with a downlink codec, clients get differences, also after skipping rounds.
    /// </summary>
    private static double DownlinkRatioToDense(IReadOnlyList<RoundMetrics> rounds, int parameters)
    {
        long measured = rounds.Sum(r => r.DownlinkBytes);
        return measured == 0 ? 0 : rounds.Sum(r => (double)r.Selected * parameters * sizeof(float)) / measured;
    }
}
