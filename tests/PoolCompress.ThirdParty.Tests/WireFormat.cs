using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using PoolCompress.Protos.V1;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// The payload format written from docs/wire-format.md alone, as another team would: the payload around any bodies
/// (format version 2), a dense float32 update (codec `none`, every tensor encoding 0), the layout fingerprint
/// (section 4) and the dense model a TRAIN task carries; <see cref="TopKTernary"/> writes sparse bodies. If the document stops being enough to talk to the coordinator, these tests fail.
/// </summary>
/// <summary>One tensor's entry and body in a payload: its encoding byte (section 1.1) and the bytes of its body.</summary>
internal sealed record TensorBody(byte Encoding, byte[] Bytes);

internal static class WireFormat
{
    private static readonly byte[] Magic = "PCWF"u8.ToArray();
    private const ushort Version = 2;
    private const string DenseSpec = "none";
    public const byte DenseFloat32 = 0;
    public const byte CodecChain = 1;
    public const byte DenseFloat16 = 2;
    private const int ChecksumBytes = 8;

    /// <summary>Section 4: XxHash3-64 (seed 0) of u32 T, then per tensor u16 name length, UTF-8 name, u8 rank, u32 dimensions.</summary>
    public static ulong LayoutFingerprint(IReadOnlyList<TensorLayout> layout)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((uint)layout.Count);
            foreach (var tensor in layout)
            {
                byte[] name = Encoding.UTF8.GetBytes(tensor.Name);
                writer.Write((ushort)name.Length);
                writer.Write(name);
                writer.Write((byte)tensor.Shape.Count);
                foreach (int dimension in tensor.Shape) writer.Write((uint)dimension);
            }
        }
        return XxHash3.HashToUInt64(bytes.ToArray());
    }

    public static long ElementCount(TensorLayout tensor) => tensor.Shape.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>Sections 1 and 1.1 for a dense update: codec `none`, each tensor's values as f32 (encoding 0).</summary>
    /// <param name="value">the update's value at each position of the flat vector (tensors back to back in layout order).</param>
    public static byte[] DenseUpdate(IReadOnlyList<TensorLayout> layout, Func<long, float> value)
    {
        long start = 0;
        var bodies = new List<TensorBody>();
        foreach (var tensor in layout)
        {
            long first = start;
            bodies.Add(new TensorBody(DenseFloat32, Floats(ElementCount(tensor), i => value(first + i))));
            start += ElementCount(tensor);
        }
        return Payload(DenseSpec, 0, layout, bodies); // a dense payload draws nothing from its seed
    }

    /// <summary>Sections 1 and 1.1: header, one entry per tensor (its encoding and body length), the bodies, then the checksum over all before it.</summary>
    public static byte[] Payload(string spec, ulong seed, IReadOnlyList<TensorLayout> layout, IReadOnlyList<TensorBody> bodies)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write((ushort)0); // flags
            writer.Write(seed);
            writer.Write((ushort)spec.Length);
            writer.Write(Encoding.ASCII.GetBytes(spec));
            writer.Write((uint)layout.Count);
            writer.Write(LayoutFingerprint(layout));
            foreach (var body in bodies)
            {
                writer.Write(body.Encoding);
                writer.Write((uint)body.Bytes.Length);
            }
            foreach (var body in bodies) writer.Write(body.Bytes);
            writer.Write(XxHash3.HashToUInt64(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)));
        }
        return bytes.ToArray();
    }

    /// <summary>Section 2: <paramref name="count"/> f32 values, a dense body (encoding 0) or the value coder `none`.</summary>
    public static byte[] Floats(long count, Func<long, float> value)
    {
        var bytes = new byte[4 * count];
        for (long i = 0; i < count; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((int)(4 * i)), value(i));
        return bytes;
    }

    /// <summary>Section 2: a dense float16 body (encoding 2), IEEE binary16 rounded to nearest even.</summary>
    public static byte[] Halves(IReadOnlyList<float> values)
    {
        var bytes = new byte[2 * values.Count];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
        return bytes;
    }

    /// <summary>
    /// The flat values of a payload under the codec `none` (a TRAIN task's whole model under the default downlink codec),
    /// after the checks of section 1.2 it needs: magic, version, flags, spec, tensor count, fingerprint, sizes, checksum.
    /// </summary>
    public static float[] ReadDense(byte[] payload, IReadOnlyList<TensorLayout> layout)
    {
        var reader = new BinaryReader(new MemoryStream(payload));
        Assert.Equal(Magic, reader.ReadBytes(4));
        Assert.Equal(Version, reader.ReadUInt16());
        Assert.Equal(0, reader.ReadUInt16());
        reader.ReadUInt64();
        Assert.Equal(DenseSpec, Encoding.ASCII.GetString(reader.ReadBytes(reader.ReadUInt16())));
        Assert.Equal((uint)layout.Count, reader.ReadUInt32());
        Assert.Equal(LayoutFingerprint(layout), reader.ReadUInt64());
        // Under the chain `none` a tensor sent through the chain (encoding 1) is n float32 values too (section 2.2).
        foreach (var tensor in layout)
        {
            Assert.Contains(reader.ReadByte(), new[] { DenseFloat32, CodecChain });
            Assert.Equal(4 * ElementCount(tensor), reader.ReadUInt32());
        }
        var values = new float[layout.Sum(ElementCount)];
        for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
        Assert.Equal(payload.Length - ChecksumBytes, reader.BaseStream.Position);
        Assert.Equal(XxHash3.HashToUInt64(payload.AsSpan(0, payload.Length - ChecksumBytes)), reader.ReadUInt64());
        return values;
    }
}
