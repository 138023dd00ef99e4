using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Encodes what goes down to clients: the whole published model (exact float32), or, with a downlink codec, the
/// compressed difference between the new global model and the published model clients already hold. Because the
/// difference is always taken against what clients really hold, whatever a lossy codec drops in one round is
/// still in the next round's difference: error feedback on the server without a separate residual. With
/// <c>;predict=FACTOR</c> the difference is taken against the published model moved on by its last movement
/// (<see cref="DownlinkPrediction"/>), which clients compute too, so a step carries only the correction.
/// </summary>
public sealed class DownlinkEncoder(CoordinatorModel model, IOptions<FederationSettings> settings)
{
    private static readonly UpdateEncoderOptions Stateless = new() { ErrorFeedback = false };
    private readonly CodecSpec _spec = CodecSpec.Parse(settings.Value.DownlinkCodec);

    public bool SendsDifferences => _spec.Text != CodecSpec.None.Text;

    /// <summary>True when steps correct a prediction, so the version before the published one takes part.</summary>
    public bool Predicts => _spec.Prediction > 0;

    public byte[] Full(ReadOnlySpan<float> weights) => new UpdateEncoder(model.Layout, CodecSpec.None, Stateless).Encode(weights);

    /// <summary>
    /// The step to <paramref name="version"/>: <paramref name="target"/> less what it corrects, the
    /// <paramref name="published"/> model (version − 1) as predicted from <paramref name="previous"/> (version − 2, or
    /// the published model itself when there is none).
    /// </summary>
    public byte[] Difference(ReadOnlySpan<float> target, ReadOnlySpan<float> published, ReadOnlySpan<float> previous, long version)
    {
        var difference = Predicted(published, previous);
        TensorPrimitives.Subtract(target, difference, difference);
        // The step to version 2 is the downlink's first update, so a warm-up schedule counts from it.
        var options = new UpdateEncoderOptions { ErrorFeedback = false, PriorUpdates = Math.Max(0, version - 2) };
        return new UpdateEncoder(model.Layout, _spec, options).Encode(difference, unchecked((ulong)version));
    }

    /// <summary>The model clients hold after applying <paramref name="difference"/> to <paramref name="published"/>, whose version before is <paramref name="previous"/>.</summary>
    public float[] Apply(ReadOnlySpan<float> published, ReadOnlySpan<float> previous, ReadOnlySpan<byte> difference)
    {
        var result = new float[published.Length];
        UpdateDecoder.Decode(difference, model.Layout, result);
        TensorPrimitives.Add(result, Predicted(published, previous), result);
        return result;
    }

    /// <summary>The published model's last movement, which a whole-model download carries beside it when steps predict.</summary>
    public byte[] Velocity(ReadOnlySpan<float> published, ReadOnlySpan<float> previous)
    {
        var velocity = new float[published.Length];
        DownlinkPrediction.Velocity(published, previous, velocity);
        return Full(velocity);
    }

    private float[] Predicted(ReadOnlySpan<float> published, ReadOnlySpan<float> previous)
    {
        var prediction = new float[published.Length];
        if (Predicts) DownlinkPrediction.Velocity(published, previous, prediction);
        DownlinkPrediction.Predict(published, prediction, _spec.Prediction, prediction);
        return prediction;
    }
}
