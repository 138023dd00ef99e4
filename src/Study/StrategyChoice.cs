using System.Globalization;

namespace PoolCompress.Study;

/// <summary>
/// A grid's strategy entry: a strategy spec (<c>median</c>, <c>trimmed:beta=0.2</c>), or a mapping that adds
/// server-side clipping (<c>{strategy: fedavg, clip-norm: 1}</c>).
/// </summary>
public sealed record StrategyChoice(string Strategy, double? ClipNorm = null)
{
    public override string ToString() =>
        ClipNorm is { } clip ? string.Create(CultureInfo.InvariantCulture, $"{Strategy} clip {clip}") : Strategy;
}
