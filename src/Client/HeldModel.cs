using System.Numerics.Tensors;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The global model this client holds, its version and its <see cref="ModelHash"/>, which the client tells the
/// coordinator so that it can send the differences since that version instead of the whole model. The client starts
/// out holding version 1, the initial model it builds from the federation's seed. A payload is applied only when it
/// fits, and the result is kept only when its hash is the one the coordinator announced: a client never trains from
/// a model other than the one the coordinator thinks it holds. Under a predicting downlink codec
/// (<c>;predict=FACTOR</c>, <paramref name="prediction"/>) it also holds the model's last movement, from which it
/// predicts what each step corrects, exactly as the coordinator does (<see cref="DownlinkPrediction"/>). Under pruning
/// during training (<paramref name="pruning"/>) a step is decoded over the live coordinates of the model held, and the
/// model it leads to is pruned to its version's sparsity, as the coordinator prunes it; the hash checks that too.
/// </summary>
public sealed class HeldModel(ModelLayout layout, float[] initialWeights, float prediction = 0, GradualPruning? pruning = null)
{
    public const long InitialVersion = 1;
    private readonly float[] _difference = new float[layout.TotalLength];
    // Only a predicting downlink needs the model's last movement and a buffer for the next model.
    private readonly float[] _next = prediction > 0 ? new float[layout.TotalLength] : [];
    private readonly float[] _velocity = prediction > 0 ? new float[layout.TotalLength] : [];

    public float[] Weights { get; } = initialWeights;

    /// <summary>The initial model (version 1) the federation's seed gives, in weights of its own.</summary>
    public static HeldModel Initial(ModelBlueprint blueprint, float prediction, GradualPruning? pruning) =>
        new(blueprint.Layout, blueprint.InitialWeights.ToArray(), prediction, pruning);

    /// <summary>A client that holds no usable model: its next task brings the whole model.</summary>
    public static HeldModel Empty(ModelLayout layout, float prediction, GradualPruning? pruning)
    {
        var held = new HeldModel(layout, new float[layout.TotalLength], prediction, pruning);
        held.Forget();
        return held;
    }

    /// <summary>0 when the client holds no usable model.</summary>
    public long Version { get; private set; } = InitialVersion;

    public ulong Hash { get; private set; } = ModelHash.Of(initialWeights);

    /// <summary>Applies a task's payload; false (and holding nothing) when it does not fit or ends on another model.</summary>
    public bool TryApply(TaskHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.BaseModelVersion == 0) return TakeWhole(header, payload);
        if (header.BaseModelVersion != Version || !Fits(header, payload.Length)) return Forget();
        int offset = 0;
        long version = header.BaseModelVersion;
        foreach (long bytes in header.DifferenceBytes)
        {
            Step(payload.Slice(offset, (int)bytes), ++version);
            offset += (int)bytes;
        }
        return Keep(header);
    }

    /// <summary>One downlink step to <paramref name="version"/>: the difference added to the model, or under a
    /// prediction to the model predicted from its last movement; then pruned to the version's sparsity.</summary>
    private void Step(ReadOnlySpan<byte> step, long version)
    {
        var live = pruning?.LiveOf(layout, Weights, version - 1);
        UpdateDecoder.Decode(step, layout, _difference, live);
        if (prediction == 0)
        {
            TensorPrimitives.Add(Weights, _difference, Weights);
            pruning?.Prune(layout, Weights, version);
            return;
        }
        DownlinkPrediction.Predict(Weights, _velocity, prediction, _next, live);
        TensorPrimitives.Add(_next, _difference, _next);
        pruning?.Prune(layout, _next, version);
        DownlinkPrediction.Velocity(_next, Weights, _velocity);
        _next.CopyTo(Weights);
    }

    /// <summary>The whole model, followed under a predicting codec by its last movement (then two sizes in the header).</summary>
    private bool TakeWhole(TaskHeader header, ReadOnlySpan<byte> payload)
    {
        bool withVelocity = prediction > 0 && header.DifferenceBytes.Count == 2 && header.DifferenceBytes.All(b => b > 0) && header.DifferenceBytes.Sum() == payload.Length;
        if (header.DifferenceBytes.Count != 0 && !withVelocity)
            throw new InvalidDataException($"the whole model version {header.ModelVersion} comes with sizes {string.Join(", ", header.DifferenceBytes)} that are not those of a model and its last movement in {payload.Length} bytes");
        int modelBytes = withVelocity ? (int)header.DifferenceBytes[0] : payload.Length;
        UpdateDecoder.Decode(payload[..modelBytes], layout, Weights);
        if (withVelocity) UpdateDecoder.Decode(payload[modelBytes..], layout, _velocity);
        else Array.Clear(_velocity);
        if (!Keep(header))
            throw new InvalidDataException($"the whole model version {header.ModelVersion} does not have the hash the coordinator announced");
        return true;
    }

    private static bool Fits(TaskHeader header, int payloadLength) =>
        header.ModelVersion >= header.BaseModelVersion
        && header.DifferenceBytes.Count == header.ModelVersion - header.BaseModelVersion
        && header.DifferenceBytes.All(b => b > 0 && b <= payloadLength)
        && header.DifferenceBytes.Sum() == payloadLength;

    private bool Keep(TaskHeader header)
    {
        if (ModelHash.Of(Weights) != header.ModelHash) return Forget();
        Version = header.ModelVersion;
        Hash = header.ModelHash;
        return true;
    }

    private bool Forget()
    {
        Version = 0;
        Hash = 0;
        return false;
    }
}
