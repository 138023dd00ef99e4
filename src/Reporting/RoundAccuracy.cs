using PoolCompress.Contracts;

namespace PoolCompress.Reporting;

/// <summary>
/// The accuracy a report shows for a round: the coordinator's test set's, or, for a coordinator without one, the
/// clients' federated evaluation's (NaN when neither measured it).
/// </summary>
internal static class RoundAccuracy
{
    public static double Of(RoundMetrics round) =>
        double.IsNaN(round.TestAccuracy) && round.FederatedEval is { } federated ? federated.Accuracy : round.TestAccuracy;
}
