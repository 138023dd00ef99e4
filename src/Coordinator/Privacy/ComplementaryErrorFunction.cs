namespace PoolCompress.Coordinator.Privacy;

/// <summary>
/// log(erfc(x)) to near double precision, also far in the tail where erfc(x) itself underflows: the Taylor series of
/// erf for small |x|, the continued fraction of erfc (evaluated by Lentz's method) beyond, and erfc(-x) = 2 - erfc(x).
/// </summary>
public static class ComplementaryErrorFunction
{
    /// <summary>Below this |x| the series of erf converges fast and 1 - erf(x) keeps its precision.</summary>
    private const double SeriesLimit = 2.0;

    public static double Log(double x)
    {
        if (x < 0) return Math.Log(2 - Math.Exp(Log(-x)));
        if (x < SeriesLimit) return Math.Log(1 - Erf(x));
        return -x * x - 0.5 * Math.Log(Math.PI) + Math.Log(ContinuedFraction(x));
    }

    /// <summary>erf(x) = 2/sqrt(pi) * sum over n of (-1)^n x^(2n+1) / (n! (2n+1)).</summary>
    private static double Erf(double x)
    {
        double term = x, sum = x, squared = x * x;
        for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= -squared / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>erfc(x) * exp(x^2) * sqrt(pi) = 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...))))), for x > 0.</summary>
    private static double ContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n / 2.0;
            d = x + a * d;
            d = Math.Abs(d) < tiny ? 1 / tiny : 1 / d;
            c = x + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return 1 / f;
    }
}
