using System.Globalization;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>Uniform quantization (<c>q:BITS</c>) with one scale per block (or per tensor). A value is coded as
/// <c>code = round(x / step + zeroPoint)</c> and decoded as <c>(code - zeroPoint) * step</c>.
/// Symmetric: the range is [-max|x|, +max|x|] with zero exactly representable (for 1 bit, the two levels ±max|x|).
/// Asymmetric: the range is [min, max] widened to include zero, with an integer zero point, so zero stays exact.
/// Nearest rounding errs by at most half a step; stochastic rounding errs by less than a step but is unbiased.</summary>
internal sealed class UniformQuantizer(QuantizerSettings settings) : CodecStage
{
    // Work in chunks that stay in L1 so that quantizing, packing and reconstructing share one trip through memory.
    private const int ChunkLength = 2048;

    private readonly int _maxCode = settings.Asymmetric || settings.Bits == 1 ? (1 << settings.Bits) - 1 : (1 << settings.Bits) - 2;
    private readonly float _symmetricZeroPoint = settings.Bits == 1 ? 0.5f : (1 << (settings.Bits - 1)) - 1;

    private int BlockParameterBytes => settings.Asymmetric ? sizeof(float) + sizeof(ushort) : sizeof(float);

    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        var (blockLength, blockCount) = Blocks(input.Length);
        var parameterBytes = blockCount * BlockParameterBytes;
        var region = output.Allocate(checked(parameterBytes + (int)PackedCodeWriter.ByteLength(input.Length, settings.Bits)));
        var parameterOffset = 0;
        var packer = new PackedCodeWriter(region[parameterBytes..], settings.Bits);
        using var codes = new PooledBuffer<int>(ChunkLength);
        using var noise = new PooledBuffer<float>(settings.Stochastic ? ChunkLength : 0);
        for (var blockStart = 0; blockStart < input.Length; blockStart += blockLength)
        {
            var block = input.Slice(blockStart, Math.Min(blockLength, input.Length - blockStart));
            var (step, zeroPoint) = Fit(block);
            BinaryPrimitives.WriteSingleLittleEndian(region[parameterOffset..], step);
            if (settings.Asymmetric) BinaryPrimitives.WriteUInt16LittleEndian(region[(parameterOffset + sizeof(float))..], (ushort)zeroPoint);
            parameterOffset += BlockParameterBytes;
            for (var chunkStart = 0; chunkStart < block.Length; chunkStart += ChunkLength)
            {
                var chunk = block.Slice(chunkStart, Math.Min(ChunkLength, block.Length - chunkStart));
                var chunkCodes = codes.Span[..chunk.Length];
                var chunkNoise = settings.Stochastic ? noise.Span[..chunk.Length] : [];
                for (var i = 0; i < chunkNoise.Length; i++) chunkNoise[i] = SeedMixer.UnitFloat(context.Seed, (ulong)(blockStart + chunkStart + i));
                Quantize(chunk, chunkNoise, step, zeroPoint, chunkCodes);
                packer.Write(chunkCodes);
                Dequantize(chunkCodes, step, zeroPoint, reconstruction.Slice(blockStart + chunkStart, chunk.Length));
            }
        }
        packer.Flush();
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        var (blockLength, blockCount) = Blocks(destination.Length);
        var parameters = new PayloadReader(input.ReadBytes(blockCount * BlockParameterBytes, "quantizer block scales"), input.Context);
        var packed = input.ReadBytes((int)PackedCodeWriter.ByteLength(destination.Length, settings.Bits), "quantized codes");
        var unpacker = new PackedCodeReader(packed, settings.Bits, input.Context);
        using var codes = new PooledBuffer<int>(ChunkLength);
        for (var blockStart = 0; blockStart < destination.Length; blockStart += blockLength)
        {
            var step = parameters.ReadFiniteSingle("quantizer step");
            if (step < 0) throw input.Error($"quantizer step is {step}; it must not be negative");
            var zeroPoint = settings.Asymmetric ? parameters.ReadUInt16("quantizer zero point") : _symmetricZeroPoint;
            if (zeroPoint > _maxCode) throw input.Error($"quantizer zero point is {zeroPoint}; with {settings.Bits} bits at most {_maxCode} is possible");
            var block = destination.Slice(blockStart, Math.Min(blockLength, destination.Length - blockStart));
            for (var chunkStart = 0; chunkStart < block.Length; chunkStart += ChunkLength)
            {
                var chunkCodes = codes.Span[..Math.Min(ChunkLength, block.Length - chunkStart)];
                unpacker.Read(chunkCodes);
                if (TensorPrimitives.Max<int>(chunkCodes) > _maxCode)
                    throw input.Error($"a quantized code exceeds {_maxCode}, the largest a symmetric {settings.Bits}-bit code can be");
                Dequantize(chunkCodes, step, zeroPoint, block.Slice(chunkStart, chunkCodes.Length));
            }
        }
    }

    private (int Length, int Count) Blocks(int length)
    {
        var blockLength = settings.BlockSize == 0 ? Math.Max(length, 1) : settings.BlockSize;
        return (blockLength, (int)(((long)length + blockLength - 1) / blockLength));
    }

    /// <summary>The step and zero point that cover the block's range with the available codes.</summary>
    private (float Step, float ZeroPoint) Fit(ReadOnlySpan<float> block)
    {
        if (!settings.Asymmetric)
            return (MathF.Abs(TensorPrimitives.MaxMagnitude(block)) / (_maxCode - _symmetricZeroPoint), _symmetricZeroPoint);

        var low = MathF.Min(TensorPrimitives.Min(block), 0);
        var high = MathF.Max(TensorPrimitives.Max(block), 0);
        var step = (high - low) / _maxCode;
        // Rounding the zero point moves the covered range by under half a step, which keeps the error within half a step.
        return (step, step > 0 ? Math.Clamp(MathF.Round(-low / step), 0, _maxCode) : 0);
    }

    private void Quantize(ReadOnlySpan<float> values, ReadOnlySpan<float> noise, float step, float zeroPoint, Span<int> codes)
    {
        // An all-zero block has step 0; any divisor then maps every value to the zero point.
        var divisor = step > 0 ? step : 1;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var divisors = Vector256.Create(divisor);
            var zeroPoints = Vector256.Create(zeroPoint);
            var maxCodes = Vector256.Create((float)_maxCode);
            for (; i <= values.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var scaled = Vector256.Create(values[i..]) / divisors + zeroPoints;
                var rounded = noise.IsEmpty ? Vector256.Round(scaled) : Vector256.Floor(scaled + Vector256.Create(noise[i..]));
                Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(rounded, Vector256<float>.Zero), maxCodes)).CopyTo(codes[i..]);
            }
        }
        for (; i < values.Length; i++)
        {
            var scaled = values[i] / divisor + zeroPoint;
            var rounded = noise.IsEmpty ? MathF.Round(scaled) : MathF.Floor(scaled + noise[i]);
            codes[i] = (int)Math.Clamp(rounded, 0, _maxCode);
        }
    }

    private static void Dequantize(ReadOnlySpan<int> codes, float step, float zeroPoint, Span<float> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var steps = Vector256.Create(step);
            var zeroPoints = Vector256.Create(zeroPoint);
            for (; i <= codes.Length - Vector256<int>.Count; i += Vector256<int>.Count)
                ((Vector256.ConvertToSingle(Vector256.Create(codes[i..])) - zeroPoints) * steps).CopyTo(values[i..]);
        }
        for (; i < codes.Length; i++) values[i] = (codes[i] - zeroPoint) * step;
    }

    /// <summary><c>q:BITS[:block=N][:asym][:stochastic]</c>.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        private const string Usage = "expected q:BITS with BITS 1 to 16, then optional :block=N, :asym, :stochastic";

        public string Name => "q";

        public StageRole Role => StageRole.ValueCoder;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            var settings = Settings(arguments);
            return new ConfiguredStage(settings.ToString(), Role, _ => new UniformQuantizer(settings));
        }

        private static QuantizerSettings Settings(ReadOnlySpan<string> arguments)
        {
            if (arguments.Length == 0 || !int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is < 1 or > 16)
                throw new FormatException($"BITS must be an integer from 1 to 16; {Usage}");
            int? blockSize = null;
            bool asymmetric = false, stochastic = false;
            foreach (var option in arguments[1..])
            {
                if (option.StartsWith("block=", StringComparison.Ordinal) && blockSize is null)
                {
                    if (!int.TryParse(option.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var block) || block < 1)
                        throw new FormatException($"'{option}': block size must be a positive integer");
                    blockSize = block;
                }
                else if (option == "asym" && !asymmetric) asymmetric = true;
                else if (option == "stochastic" && !stochastic) stochastic = true;
                else throw new FormatException($"unknown or repeated option '{option}'; {Usage}");
            }
            return new QuantizerSettings(bits, blockSize ?? 0, asymmetric, stochastic);
        }
    }
}
