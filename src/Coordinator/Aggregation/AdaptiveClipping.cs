using PoolCompress.Coordinator.Strategies;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Adaptive server-side clipping, <c>adaptive[:factor=F,initial=C]</c>: round t clips every update to F times the
/// median L2 norm of the updates that reached the coordinator in round t-1; round 1 clips to C, or not at all.
/// The bound comes from the previous round, not the current one, because every silo clips an update as soon as it
/// is decoded, before the round's other updates exist; it is fixed when the round starts and kept in grain state.
/// The median is that of all clients, so as long as fewer than half of them send long updates they cannot raise it.
/// </summary>
public sealed record AdaptiveClipping(double Factor, double? Initial)
{
    public const string Name = "adaptive";

    /// <summary><c>--clip-norm off</c>: no clipping, not even the default.</summary>
    public const string Off = "off";

    /// <summary>
    /// The bound when the operator sets none: three times the previous round's median norm, from round 2. Generous, so
    /// that honest runs do not move (the main job's updates stay below it), yet one update cannot be thousands of
    /// times longer than the others'.
    /// </summary>
    public static AdaptiveClipping Default { get; } = new(3, null);

    /// <summary>Parses <c>adaptive[:factor=F,initial=C]</c>; an <see cref="ArgumentException"/> says what is wrong.</summary>
    public static AdaptiveClipping Parse(string text)
    {
        var spec = StrategySpec.Parse(text, "clip-norm");
        if (spec.Name != Name)
            throw new ArgumentException($"clip-norm must be a positive number or {Name}[:factor=F,initial=C], got '{text}'");
        var clipping = new AdaptiveClipping(spec.Positive("factor", 1), spec.OptionalPositive("initial"));
        spec.RejectUnread();
        return clipping;
    }

    /// <summary>
    /// The bound of the round after one whose updates had these norms. A round without updates, or whose updates
    /// were all zero (a bound of zero would freeze the model for good), leaves the bound as it was.
    /// </summary>
    public double? NextBound(IReadOnlyCollection<double> norms, double? current)
    {
        if (norms.Count == 0) return current;
        var sorted = norms.Order().ToArray();
        int middle = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return median > 0 ? Factor * median : current;
    }
}
