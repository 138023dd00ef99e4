namespace PoolCompress.Coordinator.Models;

/// <summary>
/// The two model sequences a federation keeps in the model store. The global model is the coordinator's exact
/// FedAvg result; the published model is what clients hold after applying the (possibly lossy) downlink
/// payloads. With a lossless downlink they are the same and only the global series is written.
/// </summary>
public static class ModelSeries
{
    public static string Global(string federationId) => federationId;

    public static string Published(string federationId) => federationId + ".published";

    /// <summary>A strategy's model-sized state array (e.g. FedAdam's "m"), stored beside each global model version.</summary>
    public static string StrategyState(string federationId, string array) => $"{federationId}.strategy.{array}";
}
