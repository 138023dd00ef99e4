namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// One try at a round. A round that is restarted (a silo's partial sum was lost, the coordinator restarted, or no
/// usable update arrived) runs again as the next attempt, and sums formed for different attempts never mix.
/// Ordered by round, then attempt.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.RoundAttempt")]
public readonly record struct RoundAttempt([property: Id(0)] int Round, [property: Id(1)] int Attempt) : IComparable<RoundAttempt>
{
    public int CompareTo(RoundAttempt other) => Round != other.Round ? Round.CompareTo(other.Round) : Attempt.CompareTo(other.Attempt);

    public static bool operator <(RoundAttempt left, RoundAttempt right) => left.CompareTo(right) < 0;

    public static bool operator >(RoundAttempt left, RoundAttempt right) => left.CompareTo(right) > 0;

    public static bool operator <=(RoundAttempt left, RoundAttempt right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RoundAttempt left, RoundAttempt right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"round {Round} attempt {Attempt}";
}
