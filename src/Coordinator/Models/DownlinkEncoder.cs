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
/// (<see cref="DownlinkPrediction"/>), which clients compute too, so a step carries only the correction. Under
/// pruning during training a step codes only the coordinates the published model has not pruned, and the model it
/// leads to is pruned to its version's sparsity, here and on every client alike (<see cref="GradualPruning"/>).
/// </summary>
public sealed class DownlinkEncoder(CoordinatorModel model, IOptions<FederationSettings> settings)
{
    private static readonly UpdateEncoderOptions Stateless = new() { ErrorFeedback = false };
    private readonly CodecSpec _spec = CodecSpec.Parse(settings.Value.DownlinkCodec);
    private readonly GradualPruning? _pruning = GradualPruning.From((float)settings.Value.PruneDuringTraining, settings.Value.PruneRounds);

    public bool SendsDifferences => _spec.Text != CodecSpec.None.Text;

    /// <summary>True when the federation prunes during training.</summary>
    public bool Prunes => _pruning is not null;

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
        var live = LiveOf(published, version - 1);
        var difference = Predicted(published, previous, live);
        TensorPrimitives.Subtract(target, difference, difference);
        // The step to version 2 is the downlink's first update, so a warm-up schedule counts from it.
        var options = new UpdateEncoderOptions { ErrorFeedback = false, PriorUpdates = Math.Max(0, version - 2) };
        return new UpdateEncoder(model.Layout, _spec, options).Encode(difference, unchecked((ulong)version), live);
    }

    /// <summary>The model clients hold after applying <paramref name="difference"/>, the step to <paramref name="version"/>,
    /// to <paramref name="published"/>, whose version before is <paramref name="previous"/>.</summary>
    public float[] Apply(ReadOnlySpan<float> published, ReadOnlySpan<float> previous, ReadOnlySpan<byte> difference, long version)
    {
        var live = LiveOf(published, version - 1);
        var result = new float[published.Length];
        UpdateDecoder.Decode(difference, model.Layout, result, live);
        TensorPrimitives.Add(result, Predicted(published, previous, live), result);
        _pruning?.Prune(model.Layout, result, version);
        return result;
    }

    /// <summary>
    /// The model clients will hold for <paramref name="version"/>, the round's global model being
    /// <paramref name="next"/>. Under pruning during training <paramref name="next"/> first takes the zeros of the
    /// published model it follows (so the global model never keeps a weight clients can neither train nor receive),
    /// before any step is encoded from it: <see cref="DownlinkSteps"/> encodes each step again from the stored global
    /// model, and must get the same bytes.
    /// </summary>
    public float[] Publish(float[] next, ReadOnlySpan<float> published, ReadOnlySpan<float> previous, long version)
    {
        LiveOf(published, version - 1)?.ZeroPruned(next);
        if (SendsDifferences) return Apply(published, previous, Difference(next, published, previous, version), version);
        _pruning?.Prune(model.Layout, next, version);
        return next;
    }

    /// <summary>The coordinates <paramref name="published"/>, model version <paramref name="version"/>, has not pruned;
    /// null when the federation does not prune.</summary>
    public LiveCoordinates? LiveOf(ReadOnlySpan<float> published, long version) => _pruning?.LiveOf(model.Layout, published, version);

    /// <summary>The published model's last movement, which a whole-model download carries beside it when steps predict.</summary>
    public byte[] Velocity(ReadOnlySpan<float> published, ReadOnlySpan<float> previous)
    {
        var velocity = new float[published.Length];
        DownlinkPrediction.Velocity(published, previous, velocity);
        return Full(velocity);
    }

    private float[] Predicted(ReadOnlySpan<float> published, ReadOnlySpan<float> previous, LiveCoordinates? live)
    {
        var prediction = new float[published.Length];
        if (Predicts) DownlinkPrediction.Velocity(published, previous, prediction);
        DownlinkPrediction.Predict(published, prediction, _spec.Prediction, prediction, live);
        return prediction;
    }
}
