namespace PoolCompress.Coordinator.Privacy;

/// <summary>
/// Rényi DP of one release of the Sampled Gaussian Mechanism (Mironov, Talwar and Zhang, "Rényi Differential Privacy of
/// the Sampled Gaussian Mechanism", arXiv 1908.10530, section 3.3): each participant is included with probability q and
/// Gaussian noise of z times the sensitivity is added to the sum. RDP(alpha) = log(A_alpha) / (alpha - 1), with A_alpha
/// a finite binomial sum for integer alpha and two tail series for fractional alpha, all in log space.
/// </summary>
public static class SampledGaussianRdp
{
    /// <summary>The RDP at <paramref name="order"/> (> 1) of one release with sampling rate q and noise multiplier z.</summary>
    public static double Of(double q, double z, double order)
    {
        if (q == 0) return 0;
        if (z == 0 || double.IsPositiveInfinity(order)) return double.PositiveInfinity;
        if (q == 1) return order / (2 * z * z);
        double logA = order == Math.Floor(order) ? LogAForIntegerOrder(q, z, (int)order) : LogAForFractionalOrder(q, z, order);
        return logA / (order - 1);
    }

    private static double LogAForIntegerOrder(double q, double z, int order)
    {
        double logA = double.NegativeInfinity, logBinomial = 0;
        for (int i = 0; i <= order; i++)
        {
            if (i > 0) logBinomial += Math.Log((double)(order - i + 1) / i);
            double term = logBinomial + i * Math.Log(q) + (order - i) * Math.Log(1 - q) + (i * (double)i - i) / (2 * z * z);
            logA = LogAdd(logA, term);
        }
        return logA;
    }

    private static double LogAForFractionalOrder(double q, double z, double order)
    {
        double logA0 = double.NegativeInfinity, logA1 = double.NegativeInfinity;
        double z0 = z * z * Math.Log(1 / q - 1) + 0.5;
        double binomial = 1;
        for (int i = 0; ; i++)
        {
            if (i > 0) binomial *= (order - i + 1) / i;
            double logBinomial = Math.Log(Math.Abs(binomial));
            double j = order - i;
            double logT0 = logBinomial + i * Math.Log(q) + j * Math.Log(1 - q);
            double logT1 = logBinomial + j * Math.Log(q) + i * Math.Log(1 - q);
            double logE0 = Math.Log(0.5) + ComplementaryErrorFunction.Log((i - z0) / (Math.Sqrt(2) * z));
            double logE1 = Math.Log(0.5) + ComplementaryErrorFunction.Log((z0 - j) / (Math.Sqrt(2) * z));
            double logS0 = logT0 + (i * (double)i - i) / (2 * z * z) + logE0;
            double logS1 = logT1 + (j * j - j) / (2 * z * z) + logE1;
            if (binomial > 0)
            {
                logA0 = LogAdd(logA0, logS0);
                logA1 = LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogSubtract(logA0, logS0);
                logA1 = LogSubtract(logA1, logS1);
            }
            if (Math.Max(logS0, logS1) < -30) break;
        }
        return LogAdd(logA0, logA1);
    }

    private static double LogAdd(double logX, double logY)
    {
        double low = Math.Min(logX, logY), high = Math.Max(logX, logY);
        return double.IsNegativeInfinity(low) ? high : Math.Log(1 + Math.Exp(low - high)) + high;
    }

    private static double LogSubtract(double logX, double logY)
    {
        if (logX < logY) throw new ArithmeticException("log-space subtraction would go negative");
        if (double.IsNegativeInfinity(logY)) return logX;
        if (logX == logY) return double.NegativeInfinity;
        double difference = Math.Exp(logX - logY) - 1;
        return double.IsPositiveInfinity(difference) ? logX : Math.Log(difference) + logY;
    }
}
