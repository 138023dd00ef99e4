using System.Numerics.Tensors;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The global model this client holds, its version and its <see cref="ModelHash"/>, which the client tells the
/// coordinator so that it can send the differences since that version instead of the whole model. The client starts
/// out holding version 1, the initial model it builds from the federation's seed. A payload is applied only when it
/// fits, and the result is kept only when its hash is the one the coordinator announced: a client never trains from
/// a model other than the one the coordinator thinks it holds.
/// </summary>
public sealed class HeldModel(ModelLayout layout, float[] initialWeights)
{
    public const long InitialVersion = 1;
    private readonly float[] _difference = new float[layout.TotalLength];

    public float[] Weights { get; } = initialWeights;

    /// <summary>The initial model (version 1) the federation's seed gives, in weights of its own.</summary>
    public static HeldModel Initial(ModelBlueprint blueprint) => new(blueprint.Layout, blueprint.InitialWeights.ToArray());

    /// <summary>A client that holds no usable model: its next task brings the whole model.</summary>
    public static HeldModel Empty(ModelLayout layout)
    {
        var held = new HeldModel(layout, new float[layout.TotalLength]);
        held.Forget();
        return held;
    }

    /// <summary>0 when the client holds no usable model.</summary>
    public long Version { get; private set; } = InitialVersion;

    public ulong Hash { get; private set; } = ModelHash.Of(initialWeights);

    /// <summary>Applies a task's payload; false (and holding nothing) when it does not fit or ends on another model.</summary>
    public bool TryApply(TaskHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.BaseModelVersion == 0)
        {
            UpdateDecoder.Decode(payload, layout, Weights);
            if (!Keep(header))
                throw new InvalidDataException($"the whole model version {header.ModelVersion} does not have the hash the coordinator announced");
            return true;
        }
        if (header.BaseModelVersion != Version || !Fits(header, payload.Length)) return Forget();
        int offset = 0;
        foreach (long bytes in header.DifferenceBytes)
        {
            UpdateDecoder.Decode(payload.Slice(offset, (int)bytes), layout, _difference);
            TensorPrimitives.Add(Weights, _difference, Weights);
            offset += (int)bytes;
        }
        return Keep(header);
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
