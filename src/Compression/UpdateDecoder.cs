using System.Text;
using PoolCompress.Compression.Codecs;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression;

/// <summary>Decodes payloads written by <see cref="UpdateEncoder"/>, trusting nothing in them.</summary>
public static class UpdateDecoder
{
    /// <summary>Decodes <paramref name="payload"/> into <paramref name="destination"/>; with <paramref name="live"/> (pruning
    /// during training) each tensor's body codes its live coordinates alone, so a pruned coordinate always decodes as zero.</summary>
    /// <exception cref="WireFormatException">The payload is corrupt, truncated, of another version, or does not match <paramref name="expected"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> payload, ModelLayout expected, Span<float> destination, LiveCoordinates? live = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (destination.Length != expected.TotalLength)
            throw new ArgumentException($"destination has {destination.Length} elements but the layout has {expected.TotalLength}", nameof(destination));

        var header = WireHeader.HeaderReader(payload);
        var (version, seed, specText) = WireHeader.ReadPrefix(ref header);
        var bodies = ReadTensorTable(ref header, version, expected, live);
        var bodyBytes = bodies.Sum(b => (long)b.Length);
        if (header.Remaining != bodyBytes)
            throw new WireFormatException($"tensor table: body lengths add up to {bodyBytes} bytes but {header.Remaining} bytes lie between the header and the checksum");
        WireHeader.VerifyChecksum(payload);
        var spec = ParseSpec(specText);

        var position = header.Position;
        for (var i = 0; i < expected.Count; i++)
        {
            var tensor = expected[i];
            var body = new PayloadReader(payload.Slice(position, bodies[i].Length), $"tensor {i} '{tensor.Name}' body");
            var tensorValues = destination.Slice(expected.OffsetOf(i), tensor.Length);
            // Only a tensor with pruned coordinates decodes into a buffer of its live values; the rest decode in place.
            var compacted = live is not null && live.IsCompacted(i);
            var codedLength = compacted ? live!.LengthOf(i) : tensor.Length;
            using var coded = new PooledBuffer<float>(compacted ? codedLength : 0);
            var values = compacted ? coded.Span : tensorValues;
            var context = StageContext.ForCodedTensor(tensor, codedLength, seed, i);
            switch (bodies[i].Encoding)
            {
                case TensorEncoding.DenseFloat32: DenseFloat32Coder.Instance.Decode(ref body, context, values); break;
                case TensorEncoding.DenseFloat16: Float16Coder.Instance.Decode(ref body, context, values); break;
                case TensorEncoding.WholeCoder:
                    var whole = spec.WholeCoder ?? throw body.Error($"encoding 3 names the spec's whole= coder, but spec '{specText}' has no such clause");
                    whole.Decode(ref body, context, values);
                    break;
                default: spec.Chain.Decode(ref body, context, values); break;
            }
            body.ExpectEnd();
            if (compacted) live!.Scatter(i, values, tensorValues);
            position += bodies[i].Length;
        }
    }

    /// <summary>The codec chain text of a payload, after checking that its header is well formed (the body is not read).</summary>
    public static string ReadCodecSpec(ReadOnlySpan<byte> payload)
    {
        var header = WireHeader.HeaderReader(payload);
        var (version, _, specText) = WireHeader.ReadPrefix(ref header);
        var (tensorCount, _) = WireHeader.ReadTableStart(ref header, version);
        long bodyBytes = 0;
        for (var i = 0; i < tensorCount; i++)
            bodyBytes += WireHeader.ReadTensorEntry(ref header, i, version).BodyLength;
        if (header.Remaining != bodyBytes)
            throw new WireFormatException($"tensor table: body lengths add up to {bodyBytes} bytes but {header.Remaining} bytes lie between the header and the checksum");
        ParseSpec(specText);
        return specText;
    }

    private static (TensorEncoding Encoding, int Length)[] ReadTensorTable(ref PayloadReader header, ushort version, ModelLayout expected, LiveCoordinates? live)
    {
        var (tensorCount, fingerprint) = WireHeader.ReadTableStart(ref header, version);
        if (tensorCount != expected.Count)
            throw header.Error($"tensor count is {tensorCount} but the expected layout has {expected.Count} tensors");
        if (fingerprint is { } stated && stated != expected.Fingerprint)
            throw header.Error($"layout fingerprint is 0x{stated:X16} but the expected layout's is 0x{expected.Fingerprint:X16}: the update was encoded for another model");

        var bodies = new (TensorEncoding, int)[expected.Count];
        for (var i = 0; i < expected.Count; i++)
        {
            var tensor = expected[i];
            var entry = WireHeader.ReadTensorEntry(ref header, i, version);
            if (entry.Shape is not null && !IsName(entry.Name, tensor.Name))
                throw header.Error($"tensor {i} is named '{Encoding.UTF8.GetString(entry.Name)}' but the expected layout has '{tensor.Name}' there");
            if (entry.Shape is not null && !entry.Shape.AsSpan().SequenceEqual(tensor.Shape))
                throw header.Error($"tensor {i} '{tensor.Name}' has shape [{string.Join(',', entry.Shape)}] but the expected layout has [{string.Join(',', tensor.Shape)}]");
            var codedLength = live?.LengthOf(i) ?? tensor.Length;
            if (entry.Encoding is TensorEncoding.DenseFloat32 or TensorEncoding.DenseFloat16 && entry.BodyLength != DenseBodyLength(entry.Encoding, codedLength))
                throw header.Error($"tensor {i} '{tensor.Name}' is dense {(entry.Encoding == TensorEncoding.DenseFloat32 ? "float32" : "float16")} of {codedLength} {(codedLength == tensor.Length ? "elements" : "live (unpruned) elements")}, so its body must be {DenseBodyLength(entry.Encoding, codedLength)} bytes, not {entry.BodyLength}");
            if (entry.BodyLength > header.Remaining)
                throw header.Error($"tensor {i} '{tensor.Name}' body length is {entry.BodyLength} bytes but only {header.Remaining} bytes remain in the payload");
            bodies[i] = (entry.Encoding, (int)entry.BodyLength);
        }
        return bodies;
    }

    private static long DenseBodyLength(TensorEncoding encoding, int codedLength) =>
        (long)codedLength * (encoding == TensorEncoding.DenseFloat32 ? sizeof(float) : sizeof(ushort));

    private static bool IsName(ReadOnlySpan<byte> utf8, string name) =>
        Encoding.UTF8.GetCharCount(utf8) == name.Length && Encoding.UTF8.GetString(utf8) == name;

    private static CodecSpec ParseSpec(string specText)
    {
        try
        {
            return CodecSpec.Parse(specText);
        }
        catch (CodecSpecException e)
        {
            throw new WireFormatException($"header codec spec: {e.Message}", e);
        }
    }
}
