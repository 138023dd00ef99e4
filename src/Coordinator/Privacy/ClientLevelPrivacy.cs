using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Privacy;

/// <summary>
/// Client-level differential privacy in the style of DP-FedAvg (McMahan et al., "Learning Differentially Private
/// Recurrent Language Models", 2018). Every update is clipped to L2 norm C where it is decoded and weighs the same, so
/// adding or removing one client moves the round's sum by at most C; Gaussian noise of standard deviation z·C is added
/// to that sum before it is averaged. Central DP: the coordinator sees the clipped updates, and what is protected is
/// what leaves it (every published model). Each round is one release of the sampled Gaussian mechanism with sampling
/// rate q = selected / joined clients; <see cref="RdpAccountant"/> turns the releases into epsilon at delta.
/// </summary>
public sealed class ClientLevelPrivacy(double noiseMultiplier, double clipNorm, double delta, long seed)
{
    /// <summary>The federation's privacy, or null when it adds no noise.</summary>
    public static ClientLevelPrivacy? For(FederationSettings settings) =>
        settings.DpNoiseMultiplier is { } z
            ? new ClientLevelPrivacy(z, settings.ClipNorm ?? throw new InvalidOperationException("differential privacy needs a clip norm"), settings.DpDelta, settings.Seed)
            : null;

    /// <summary>
    /// Adds N(0, (z·C)²) to every coordinate of the round's sum, from a generator seeded by the run's seed and the round
    /// attempt, so a seeded run draws the same noise again; then counts the release in <paramref name="spentRdp"/>
    /// (RDP at <see cref="RdpAccountant.DefaultOrders"/>, grown to their count on first use).
    /// </summary>
    public void Release(FedAvgAggregator round, RoundAttempt attempt, double samplingRate, List<double> spentRdp)
    {
        var noise = new double[round.ParameterCount];
        var random = new Random(RoundSeed.For(seed, attempt.Round, attempt.Attempt, RoundSeed.PrivacyNoise));
        double deviation = noiseMultiplier * clipNorm;
        for (int i = 0; i < noise.Length; i += 2)
        {
            // Box-Muller: two independent standard normals from two uniforms in (0, 1].
            double radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), angle = 2 * Math.PI * random.NextDouble();
            noise[i] = deviation * radius * Math.Cos(angle);
            if (i + 1 < noise.Length) noise[i + 1] = deviation * radius * Math.Sin(angle);
        }
        round.AddNoise(noise);
        var orders = RdpAccountant.DefaultOrders;
        while (spentRdp.Count < orders.Count) spentRdp.Add(0);
        for (int i = 0; i < orders.Count; i++) spentRdp[i] += SampledGaussianRdp.Of(samplingRate, noiseMultiplier, orders[i]);
    }

    /// <summary>Epsilon at the federation's delta for the releases counted in <paramref name="spentRdp"/>; 0 before the first.</summary>
    public double Epsilon(IReadOnlyList<double> spentRdp) =>
        spentRdp.Count == 0 ? 0 : RdpAccountant.Epsilon(spentRdp, RdpAccountant.DefaultOrders, delta).Epsilon;
}
