namespace PoolCompress.Learning;

/// <summary>Symmetric Dirichlet draws from a seeded <see cref="Random"/>, via normalised Gamma variates.</summary>
internal static class DirichletSampler
{
    /// <summary>Fills <paramref name="shares"/> with a Dirichlet(alpha, ..., alpha) sample (non-negative, summing to 1).</summary>
    public static void Sample(Random random, double alpha, Span<double> shares)
    {
        double sum = 0;
        for (int i = 0; i < shares.Length; i++) sum += shares[i] = Gamma(random, alpha);
        if (sum > 0)
        {
            for (int i = 0; i < shares.Length; i++) shares[i] /= sum;
            return;
        }
        // Every variate underflowed (tiny alpha): the limit of the distribution is all mass on one component.
        shares.Clear();
        shares[random.Next(shares.Length)] = 1;
    }

    /// <summary>Marsaglia and Tsang's method, boosted for shape &lt; 1 by Gamma(a) = Gamma(a + 1) * U^(1/a).</summary>
    private static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>Box-Muller; 1 - NextDouble() lies in (0, 1], so the logarithm is finite.</summary>
    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
