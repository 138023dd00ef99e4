namespace PoolCompress.Compression.Codecs;

/// <summary>
/// Deep Gradient Compression's options for <c>topk:F:global</c>, which only the encoder uses (a global top-k decodes
/// whatever count it is sent). <paramref name="Warmup"/>: the density falls geometrically from
/// <paramref name="WarmupFrom"/> (1 unless set) to F over that many of a client's updates (D·(F/D)^(1/(N+1)),
/// D·(F/D)^(2/(N+1)), ..., then F), so the first, largest updates lose less while error feedback has nothing stored
/// yet. A start below 1 keeps a short run's byte budget: one dense update alone costs as much as hundreds at F.
/// <paramref name="Momentum"/>: momentum correction with factor masking (see <see cref="UpdateEncoderOptions.Momentum"/>).
/// </summary>
internal sealed record TopKSchedule(int Warmup, double Momentum, double WarmupFrom = 1)
{
    public const int MaxWarmup = 1000;

    public static TopKSchedule None { get; } = new(0, 0);

    /// <summary>The density of the client's update number <paramref name="update"/> (0 for its first).</summary>
    public double Density(double fraction, long update) =>
        update >= Warmup ? fraction : WarmupFrom * Math.Pow(fraction / WarmupFrom, (update + 1.0) / (Warmup + 1));

    /// <summary>Canonical text: the options in the order warmup, from, momentum, each only when set.</summary>
    public override string ToString() =>
        (Warmup > 0 ? $":warmup={Warmup}" : "") + (WarmupFrom < 1 ? $":from={Format(WarmupFrom)}" : "") + (Momentum > 0 ? $":momentum={Format(Momentum)}" : "");

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
