namespace PoolCompress.Compression.Codecs;

/// <summary>
/// Deep Gradient Compression's options for <c>topk:F:global</c>, which only the encoder uses (a global top-k decodes
/// whatever count it is sent). <paramref name="Warmup"/>: the density falls geometrically from 1 to F over that many
/// of a client's updates (F^(1/(N+1)), F^(2/(N+1)), ..., then F), so the first, largest updates lose little while
/// error feedback has nothing stored yet. <paramref name="Momentum"/>: momentum correction with factor masking (see
/// <see cref="UpdateEncoderOptions.Momentum"/>).
/// </summary>
internal sealed record TopKSchedule(int Warmup, double Momentum)
{
    public const int MaxWarmup = 1000;

    public static TopKSchedule None { get; } = new(0, 0);

    /// <summary>The density of the client's update number <paramref name="update"/> (0 for its first).</summary>
    public double Density(double fraction, long update) =>
        update >= Warmup ? fraction : Math.Pow(fraction, (update + 1.0) / (Warmup + 1));

    /// <summary>Canonical text: the options in the order warmup, momentum, each only when set.</summary>
    public override string ToString() =>
        (Warmup > 0 ? $":warmup={Warmup}" : "") + (Momentum > 0 ? $":momentum={Momentum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}" : "");
}
