using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Encodes what goes down to clients: the whole published model (exact float32), or, with a downlink codec, the
/// compressed difference between the new global model and the published model clients already hold. Because the
/// difference is always taken against what clients really hold, whatever a lossy codec drops in one round is
/// still in the next round's difference: error feedback on the server without a separate residual.
/// </summary>
public sealed class DownlinkEncoder(CoordinatorModel model, IOptions<FederationSettings> settings)
{
    private static readonly UpdateEncoderOptions Stateless = new() { ErrorFeedback = false };
    private readonly CodecSpec _spec = CodecSpec.Parse(settings.Value.DownlinkCodec);

    public bool SendsDifferences => _spec.Text != CodecSpec.None.Text;

    public byte[] Full(ReadOnlySpan<float> weights) => new UpdateEncoder(model.Layout, CodecSpec.None, Stateless).Encode(weights);

    public byte[] Difference(ReadOnlySpan<float> target, ReadOnlySpan<float> published, long version)
    {
        var difference = new float[target.Length];
        TensorPrimitives.Subtract(target, published, difference);
        // The step to version 2 is the downlink's first update, so a warm-up schedule counts from it.
        var options = new UpdateEncoderOptions { ErrorFeedback = false, PriorUpdates = Math.Max(0, version - 2) };
        return new UpdateEncoder(model.Layout, _spec, options).Encode(difference, unchecked((ulong)version));
    }

    /// <summary>The model clients hold after applying <paramref name="difference"/> to <paramref name="published"/>.</summary>
    public float[] Apply(ReadOnlySpan<float> published, ReadOnlySpan<byte> difference)
    {
        var result = new float[published.Length];
        UpdateDecoder.Decode(difference, model.Layout, result);
        TensorPrimitives.Add(result, published, result);
        return result;
    }
}
