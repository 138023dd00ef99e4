using System.Numerics.Tensors;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>Ternary coding as in Sparse Ternary Compression (Sattler et al.): every non-zero value becomes
/// sign(x)·μ with μ the mean magnitude of the non-zero values, and zeros stay zero. After a sparsifier every value is
/// non-zero, so only signs are sent (1 bit each); otherwise trits are packed five to a byte (1.6 bits each).</summary>
internal sealed class TernaryCoder : CodecStage
{
    private const byte SignsOnly = 0;
    private const byte Trits = 1;
    private const int TritsPerByte = 5;
    private const int ByteStates = 243; // 3^5

    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        var nonZero = 0;
        foreach (var value in input) nonZero += value != 0 ? 1 : 0;
        var mu = nonZero == 0 ? 0 : TensorPrimitives.SumOfMagnitudes(input) / nonZero;
        output.WriteSingle(mu);
        var mode = nonZero == input.Length ? SignsOnly : Trits;
        output.WriteByte(mode);
        if (mode == SignsOnly)
        {
            var signs = output.Allocate((input.Length + 7) / 8);
            signs.Clear();
            for (var i = 0; i < input.Length; i++) signs[i >> 3] |= (byte)((input[i] < 0 ? 1 : 0) << (i & 7));
        }
        else
        {
            var packed = output.Allocate((input.Length + TritsPerByte - 1) / TritsPerByte);
            for (var i = 0; i < packed.Length; i++)
            {
                var group = input.Slice(i * TritsPerByte, Math.Min(TritsPerByte, input.Length - i * TritsPerByte));
                var packedByte = 0;
                for (var j = group.Length - 1; j >= 0; j--) packedByte = packedByte * 3 + Trit(group[j]);
                packed[i] = (byte)packedByte;
            }
        }
        for (var i = 0; i < input.Length; i++) reconstruction[i] = input[i] == 0 ? 0 : MathF.CopySign(mu, input[i]);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        var mu = input.ReadFiniteSingle("ternary magnitude");
        if (mu < 0) throw input.Error($"ternary magnitude is {mu}; it must not be negative");
        var mode = input.ReadByte("ternary mode");
        if (mode == SignsOnly)
        {
            var signs = input.ReadBytes((destination.Length + 7) / 8, "ternary signs");
            for (var i = 0; i < destination.Length; i++) destination[i] = ((signs[i >> 3] >> (i & 7)) & 1) == 0 ? mu : -mu;
        }
        else if (mode == Trits)
        {
            var packed = input.ReadBytes((destination.Length + TritsPerByte - 1) / TritsPerByte, "ternary trits");
            for (var i = 0; i < packed.Length; i++)
            {
                int packedByte = packed[i];
                if (packedByte >= ByteStates) throw input.Error($"ternary byte {i} is {packedByte}; five trits encode at most {ByteStates - 1}");
                var group = destination.Slice(i * TritsPerByte, Math.Min(TritsPerByte, destination.Length - i * TritsPerByte));
                for (var j = 0; j < group.Length; j++, packedByte /= 3) group[j] = (packedByte % 3 - 1) * mu;
            }
        }
        else throw input.Error($"ternary mode is {mode}; allowed are {SignsOnly} (signs only) and {Trits} (trits)");
    }

    private static int Trit(float value) => value > 0 ? 2 : value < 0 ? 0 : 1;
}
