using System.Numerics.Tensors;

namespace PoolCompress.Coordinator.Aggregation;

/// <summary>
/// Server-side clipping, as in DP-FedAvg: an update longer than the bound (L2 norm) is scaled down to it before it
/// enters a sum, so whatever one client sends, it moves the model no further than the bound allows.
/// </summary>
public static class NormClipper
{
    /// <summary>The update's L2 norm, summed in double precision: a float sum loses the small values of a large model.</summary>
    public static double Norm(ReadOnlySpan<float> update)
    {
        double sumOfSquares = 0;
        foreach (float v in update) sumOfSquares += (double)v * v;
        return Math.Sqrt(sumOfSquares);
    }

    /// <summary>Scales <paramref name="update"/> to an L2 norm of at most <paramref name="maxNorm"/>; true when it had to.</summary>
    public static bool Clip(Span<float> update, double maxNorm) => Clip(update, Norm(update), maxNorm);

    /// <summary>As <see cref="Clip(Span{float}, double)"/>, for an update whose norm is already known.</summary>
    public static bool Clip(Span<float> update, double norm, double maxNorm)
    {
        if (norm <= maxNorm) return false;
        TensorPrimitives.Multiply(update, (float)(maxNorm / norm), update);
        return true;
    }
}
