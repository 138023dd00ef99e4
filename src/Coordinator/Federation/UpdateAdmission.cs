namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// The federation grain's answer to an update about to be summed: whether it is taken and, if so, the round attempt
/// whose partial sum it goes into, its FedAvg weight (the client's sample count) and the L2 bound to clip it to.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.UpdateAdmission")]
public sealed record UpdateAdmission(
    [property: Id(0)] UpdateVerdict Verdict,
    [property: Id(1)] RoundAttempt RoundAttempt,
    [property: Id(2)] long Weight,
    [property: Id(3)] double? ClipBound = null)
{
    public static UpdateAdmission Refused(UpdateVerdict verdict) => new(verdict, default, 0);
}
