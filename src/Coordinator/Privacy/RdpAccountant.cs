namespace PoolCompress.Coordinator.Privacy;

/// <summary>
/// The (epsilon, delta) privacy a run of noisy rounds has spent: RDP composes by adding over releases at each order,
/// and is converted to epsilon at the best order with Balle et al.'s bound ("Hypothesis Testing Interpretations and
/// Rényi Differential Privacy", 2020, theorem 21), as Opacus and TensorFlow Privacy do.
/// </summary>
public static class RdpAccountant
{
    /// <summary>The orders Opacus and TensorFlow Privacy search by default: 1.1, 1.2, ..., 10.9, then 12, ..., 63.</summary>
    public static IReadOnlyList<double> DefaultOrders { get; } =
        [.. Enumerable.Range(1, 99).Select(x => 1 + x / 10.0), .. Enumerable.Range(12, 52).Select(x => (double)x)];

    /// <summary>
    /// Epsilon at <paramref name="delta"/> after <paramref name="steps"/> releases of the sampled Gaussian mechanism
    /// with sampling rate <paramref name="q"/> and noise multiplier <paramref name="z"/>, with the order it was found at.
    /// </summary>
    public static (double Epsilon, double Order) Epsilon(double q, double z, int steps, double delta, IReadOnlyList<double>? orders = null)
    {
        orders ??= DefaultOrders;
        return Epsilon([.. orders.Select(order => steps * SampledGaussianRdp.Of(q, z, order))], orders, delta);
    }

    /// <summary>Epsilon at <paramref name="delta"/> of a mechanism whose RDP at each of <paramref name="orders"/> is given.</summary>
    public static (double Epsilon, double Order) Epsilon(IReadOnlyList<double> rdp, IReadOnlyList<double> orders, double delta)
    {
        if (rdp.Count != orders.Count) throw new ArgumentException($"{rdp.Count} RDP values for {orders.Count} orders", nameof(rdp));
        var best = (Epsilon: double.PositiveInfinity, Order: double.NaN);
        for (int i = 0; i < orders.Count; i++)
        {
            double a = orders[i];
            double epsilon = rdp[i] - (Math.Log(delta) + Math.Log(a)) / (a - 1) + Math.Log((a - 1) / a);
            if (epsilon < best.Epsilon) best = (Math.Max(0, epsilon), a);
        }
        return best;
    }
}
