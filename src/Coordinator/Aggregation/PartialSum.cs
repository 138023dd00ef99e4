namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// What one silo's partial aggregate holds for a round attempt: the sample-weighted sum of the updates it received
/// (double precision), their total weight, the clients they came from, and the time spent summing them; and, when
/// the federation's strategy combines updates otherwise than by a sum, the updates themselves, in contributor order.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.PartialSum")]
public sealed record PartialSum(
    [property: Id(0)] double[] WeightedSum,
    [property: Id(1)] long TotalWeight,
    [property: Id(2)] string[] Contributors,
    [property: Id(3)] double SummingSeconds,
    [property: Id(4)] float[][]? Updates = null)
{
    /// <summary>No update: none arrived at that silo, or the silo is gone and its sum with it.</summary>
    public static PartialSum Empty { get; } = new([], 0, [], 0);
}
