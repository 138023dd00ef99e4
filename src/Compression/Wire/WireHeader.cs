using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace PoolCompress.Compression.Wire;

/// <summary>The versioned header and trailing checksum of a payload; docs/wire-format.md is the byte-by-byte description.</summary>
internal static class WireHeader
{
    public const uint Magic = 0x46574350; // "PCWF" read as a little-endian uint32

    /// <summary>Version 1 names and shapes every tensor in the table; version 2 carries the layout's fingerprint
    /// instead, which saves the names and shapes on every update (180 of 3,817 bytes for a 1,400x one).</summary>
    public const ushort FirstVersion = 1;
    public const ushort Version = 2;
    public const int ChecksumLength = sizeof(ulong);
    public const int MaxSpecBytes = 1024;

    // magic + version + flags + seed + spec length + tensor count + checksum.
    private const int FixedBytes = 4 + 2 + 2 + 8 + 2 + 4 + ChecksumLength;

    /// <summary>Exact header size, so the writer can be sized before encoding.</summary>
    public static int SizeOf(ModelLayout layout, string specText, ushort version)
    {
        var size = FixedBytes + Encoding.ASCII.GetByteCount(specText);
        if (version != FirstVersion) return size + sizeof(ulong) + layout.Count * (1 + 4);
        foreach (var tensor in layout)
            size += 2 + Encoding.UTF8.GetByteCount(tensor.Name) + 1 + 4 * tensor.Shape.Length + 1 + 4;
        return size;
    }

    /// <summary>Writes the header and returns where each tensor's body-length field is, to be patched once bodies are written.</summary>
    public static int[] Write(PayloadWriter writer, ModelLayout layout, string specText, ulong seed, ushort version, Func<int, TensorEncoding> encodingOf)
    {
        writer.WriteUInt32(Magic);
        writer.WriteUInt16(version);
        writer.WriteUInt16(0);
        writer.WriteUInt64(seed);
        writer.WriteUInt16((ushort)Encoding.ASCII.GetByteCount(specText));
        Encoding.ASCII.GetBytes(specText, writer.Allocate(Encoding.ASCII.GetByteCount(specText)));
        writer.WriteUInt32((uint)layout.Count);
        if (version != FirstVersion) writer.WriteUInt64(layout.Fingerprint);
        var bodyLengthPositions = new int[layout.Count];
        for (var i = 0; i < layout.Count; i++)
        {
            if (version == FirstVersion)
            {
                var tensor = layout[i];
                var nameBytes = Encoding.UTF8.GetByteCount(tensor.Name);
                writer.WriteUInt16((ushort)nameBytes);
                Encoding.UTF8.GetBytes(tensor.Name, writer.Allocate(nameBytes));
                writer.WriteByte((byte)tensor.Shape.Length);
                foreach (var dim in tensor.Shape) writer.WriteUInt32((uint)dim);
            }
            writer.WriteByte((byte)encodingOf(i));
            bodyLengthPositions[i] = writer.Length;
            writer.WriteUInt32(0);
        }
        return bodyLengthPositions;
    }

    public static void PatchBodyLength(PayloadWriter writer, int position, int bodyLength) =>
        BinaryPrimitives.WriteUInt32LittleEndian(writer.WrittenRange(position, 4), (uint)bodyLength);

    public static void AppendChecksum(PayloadWriter writer)
    {
        var checksum = XxHash3.HashToUInt64(writer.Written);
        writer.WriteUInt64(checksum);
    }

    /// <summary>Reads and checks the fields before the tensor table. The reader must exclude the trailing checksum.</summary>
    public static (ushort Version, ulong Seed, string SpecText) ReadPrefix(ref PayloadReader reader)
    {
        var magic = reader.ReadUInt32("magic");
        if (magic != Magic) throw reader.Error($"magic is 0x{magic:X8}; expected 0x{Magic:X8} (\"PCWF\"): this is not a PoolCompress payload");
        var version = reader.ReadUInt16("format version");
        if (version is not (FirstVersion or Version)) throw reader.Error($"format version is {version}; this decoder reads versions {FirstVersion} and {Version}");
        var flags = reader.ReadUInt16("flags");
        if (flags != 0) throw reader.Error($"flags are 0x{flags:X4}; version {version} defines none, so they must be 0");
        var seed = reader.ReadUInt64("seed");
        var specLength = reader.ReadUInt16("codec spec length");
        if (specLength is 0 or > MaxSpecBytes) throw reader.Error($"codec spec length is {specLength}; it must be 1 to {MaxSpecBytes} bytes");
        var specBytes = reader.ReadBytes(specLength, "codec spec");
        if (!Ascii.IsValid(specBytes)) throw reader.Error("codec spec contains non-ASCII bytes");
        return (version, seed, Encoding.ASCII.GetString(specBytes));
    }

    /// <summary>Reads the tensor count and, from version 2 on, the layout fingerprint that follows it.</summary>
    public static (uint TensorCount, ulong? Fingerprint) ReadTableStart(ref PayloadReader reader, ushort version)
    {
        var tensorCount = reader.ReadUInt32("tensor count");
        return (tensorCount, version == FirstVersion ? null : reader.ReadUInt64("layout fingerprint"));
    }

    /// <summary>One entry of the tensor table; in version 2 it has no name and a null shape.</summary>
    public static TensorEntry ReadTensorEntry(ref PayloadReader reader, int index, ushort version)
    {
        ReadOnlySpan<byte> name = [];
        int[]? shape = null;
        if (version == FirstVersion)
        {
            var nameLength = reader.ReadUInt16($"tensor {index} name length");
            name = reader.ReadBytes(nameLength, $"tensor {index} name");
            var rank = reader.ReadByte($"tensor {index} rank");
            if (rank > ModelLayout.MaxRank) throw reader.Error($"tensor {index} rank is {rank}; at most {ModelLayout.MaxRank} is allowed");
            shape = new int[rank];
            for (var d = 0; d < rank; d++)
            {
                var dim = reader.ReadUInt32($"tensor {index} dimension {d}");
                if (dim > int.MaxValue) throw reader.Error($"tensor {index} dimension {d} is {dim}; at most {int.MaxValue} is allowed");
                shape[d] = (int)dim;
            }
        }
        var encoding = reader.ReadByte($"tensor {index} encoding");
        if (encoding > (byte)TensorEncoding.WholeCoder)
            throw reader.Error($"tensor {index} encoding is {encoding}; allowed are 0 (dense float32), 1 (codec chain), 2 (dense float16) and 3 (the spec's whole= coder)");
        var bodyLength = reader.ReadUInt32($"tensor {index} body length");
        return new TensorEntry(name, shape, (TensorEncoding)encoding, bodyLength);
    }

    public static void VerifyChecksum(ReadOnlySpan<byte> payload)
    {
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(payload[^ChecksumLength..]);
        var actual = XxHash3.HashToUInt64(payload[..^ChecksumLength]);
        if (stored != actual)
            throw new WireFormatException($"checksum: stored XxHash3 0x{stored:X16} does not match 0x{actual:X16} computed over the payload: it was corrupted in transit");
    }

    public static PayloadReader HeaderReader(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FixedBytes)
            throw new WireFormatException($"payload: {payload.Length} bytes is shorter than the smallest possible payload ({FixedBytes} bytes)");
        return new PayloadReader(payload[..^ChecksumLength], "header");
    }
}

internal readonly ref struct TensorEntry(ReadOnlySpan<byte> name, int[]? shape, TensorEncoding encoding, uint bodyLength)
{
    public ReadOnlySpan<byte> Name { get; } = name;
    public int[]? Shape { get; } = shape;
    public TensorEncoding Encoding { get; } = encoding;
    public uint BodyLength { get; } = bodyLength;
}
