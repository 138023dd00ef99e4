using System.Numerics.Tensors;

namespace PoolCompress.Compression;

/// <summary>
/// What a downlink step with <c>;predict=FACTOR</c> corrects: the published model moved on by FACTOR times its last
/// movement (heavy-ball momentum on the series every client holds). Coordinator and clients both compute it here, with
/// the same float operations in the same order, so they agree to the bit and the model hash still decides.
/// </summary>
public static class DownlinkPrediction
{
    /// <summary>The published model's last movement: <paramref name="published"/> minus the version before it.</summary>
    public static void Velocity(ReadOnlySpan<float> published, ReadOnlySpan<float> previous, Span<float> velocity) =>
        TensorPrimitives.Subtract(published, previous, velocity);

    /// <summary>The model a step corrects; without a prediction, the published model itself, bit for bit. Under pruning
    /// during training, <paramref name="live"/> (the published model's) keeps pruned coordinates at zero: the last
    /// movement of a weight pruned in the last step must not bring it back.</summary>
    public static void Predict(ReadOnlySpan<float> published, ReadOnlySpan<float> velocity, float factor, Span<float> prediction, LiveCoordinates? live = null)
    {
        if (factor == 0) published.CopyTo(prediction);
        else TensorPrimitives.MultiplyAdd(velocity, factor, published, prediction);
        live?.ZeroPruned(prediction);
    }
}
