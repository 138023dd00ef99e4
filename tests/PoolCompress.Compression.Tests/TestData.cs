using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace PoolCompress.Compression.Tests;

internal static class TestData
{
    /// <summary>A small model: two weight matrices, a conv kernel and biases (which always go dense).</summary>
    public static ModelLayout SmallModel() => new([
        new TensorInfo("conv.weight", [8, 4, 3, 3]),
        new TensorInfo("conv.bias", [8]),
        new TensorInfo("fc1.weight", [64, 72]),
        new TensorInfo("fc1.bias", [64]),
        new TensorInfo("fc2.weight", [10, 64]),
    ]);

    public static ModelLayout Single(params int[] shape) => new([new TensorInfo("w", shape)]);

    public static float[] Gaussian(int length, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
            values[i] = scale * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return values;
    }

    public static UpdateEncoderOptions AllCompressed(bool errorFeedback = true, double momentum = 0) =>
        new() { DenseBelowElements = 0, ErrorFeedback = errorFeedback, Momentum = momentum };

    public static float[] RoundTrip(ModelLayout layout, string spec, float[] update, ulong seed = 7, UpdateEncoderOptions? options = null)
    {
        var payload = new UpdateEncoder(layout, CodecSpec.Parse(spec), options ?? AllCompressed()).Encode(update, seed);
        var decoded = new float[layout.TotalLength];
        UpdateDecoder.Decode(payload, layout, decoded);
        return decoded;
    }

    /// <summary>Recomputes the trailing checksum, so a test can reach the checks behind it with a deliberately bad field.</summary>
    public static byte[] WithValidChecksum(byte[] payload)
    {
        var copy = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), XxHash3.HashToUInt64(copy.AsSpan(0, copy.Length - 8)));
        return copy;
    }

    /// <summary>Offset of the tensor count field: after magic, version, flags, seed, spec length and spec.</summary>
    public static int TensorCountOffset(byte[] payload) => 18 + BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(16));

    public static ushort Version(byte[] payload) => BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(4));

    /// <summary>Offset of tensor <paramref name="index"/>'s body-length field in the tensor table: version 2 has the
    /// layout fingerprint after the count and one encoding byte per entry, version 1 names and shapes each tensor too.</summary>
    public static int BodyLengthOffset(byte[] payload, ModelLayout layout, int index)
    {
        if (Version(payload) == 2) return TensorCountOffset(payload) + 4 + 8 + index * 5 + 1;
        var offset = TensorCountOffset(payload) + 4;
        for (var i = 0; ; i++)
        {
            offset += 2 + Encoding.UTF8.GetByteCount(layout[i].Name) + 1 + 4 * layout[i].Shape.Length + 1;
            if (i == index) return offset;
            offset += 4;
        }
    }

    /// <summary>Offset of the first body byte.</summary>
    public static int BodiesOffset(byte[] payload, ModelLayout layout) => BodyLengthOffset(payload, layout, layout.Count - 1) + 4;
}
