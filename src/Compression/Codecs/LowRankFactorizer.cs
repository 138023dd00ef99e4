using System.Globalization;
using System.Numerics.Tensors;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>
/// <c>lowrank:R</c>, PowerSGD's compressor (Vogels et al., 2019): the tensor's rows × columns matrix M (a conv kernel
/// is out × in·kh·kw) is approximated by P Qᵀ of rank r = min(R, rows, columns) from one power iteration, P = M Q
/// with Q warm-started from this client's previous update of the tensor, P orthonormalized, then Q = Mᵀ P. The next
/// stage (a value coder) encodes Pᵀ (r × rows), then Qᵀ (r × columns); the body starts with r as one byte.
/// What the rank drops is left to error feedback, which PowerSGD needs to converge.
/// </summary>
internal sealed class LowRankFactorizer(int rank, CodecStage next) : CodecStage
{
    public const int MaxRank = 255;

    public int Rank => rank;

    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        int r = RankFor(context);
        output.WriteByte((byte)r);
        if (r == 0) return;
        var (pContext, qContext) = FactorContexts(context, r);
        using var p = new PooledBuffer<float>(pContext.Length);
        using var pDecoded = new PooledBuffer<float>(pContext.Length);
        using var qDecoded = new PooledBuffer<float>(qContext.Length);
        var q = WarmStart(context, r);

        MultiplyByQ(input, context, q, p.Span);
        Orthonormalize(p.Span, context.Rows);
        MultiplyTransposedByP(input, context, p.Span, q);

        next.Encode(p.Span, pContext, output, pDecoded.Span);
        next.Encode(q, qContext, output, qDecoded.Span);
        Reconstruct(pDecoded.Span, qDecoded.Span, context, reconstruction);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        int expected = RankFor(context);
        int r = input.ReadByte("low-rank rank");
        if (r != expected)
            throw input.Error($"low-rank rank is {r} but lowrank:{rank} of a {context.Rows} x {context.Columns} matrix has rank {expected}");
        if (r == 0) return;
        var (pContext, qContext) = FactorContexts(context, r);
        using var p = new PooledBuffer<float>(pContext.Length);
        using var q = new PooledBuffer<float>(qContext.Length);
        next.Decode(ref input, pContext, p.Span);
        next.Decode(ref input, qContext, q.Span);
        Reconstruct(p.Span, q.Span, context, destination);
    }

    private int RankFor(in StageContext context) => Math.Min(rank, Math.Min(context.Rows, context.Columns));

    private static (StageContext P, StageContext Q) FactorContexts(in StageContext context, int r)
    {
        var p = context.Next(r, context.Rows);
        return (p, p.Next(r, context.Columns));
    }

    /// <summary>
    /// Qᵀ (r × columns) from this client's last update of the tensor; the first time, seeded pseudo-random values.
    /// A row that collapsed to zero (the update had nothing in that direction) is drawn afresh so it can recover.
    /// </summary>
    private static float[] WarmStart(in StageContext context, int r)
    {
        int length = r * context.Columns;
        var q = context.State?.WarmStart is { } kept && kept.Length == length ? kept : new float[length];
        if (context.State is { } state) state.WarmStart = q;
        for (int k = 0; k < r; k++)
        {
            var row = q.AsSpan(k * context.Columns, context.Columns);
            if (TensorPrimitives.SumOfSquares(row) > 0) continue;
            ulong seed = SeedMixer.Mix(context.Seed, (ulong)k);
            for (int j = 0; j < row.Length; j++) row[j] = SeedMixer.UnitFloat(seed, (ulong)j) - 0.5f;
        }
        return q;
    }

    /// <summary>Pᵀ[k, i] = M[i, :] · Qᵀ[k, :].</summary>
    private static void MultiplyByQ(ReadOnlySpan<float> m, in StageContext context, ReadOnlySpan<float> q, Span<float> p)
    {
        int rows = context.Rows, columns = context.Columns, r = p.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int k = 0; k < r; k++) p[k * rows + i] = TensorPrimitives.Dot(row, q.Slice(k * columns, columns));
        }
    }

    /// <summary>Gram-Schmidt on the rows of Pᵀ (P's columns), in double for the norms; a dependent column becomes zero.</summary>
    private static void Orthonormalize(Span<float> p, int length)
    {
        int r = p.Length / length;
        for (int k = 0; k < r; k++)
        {
            var column = p.Slice(k * length, length);
            for (int previous = 0; previous < k; previous++)
            {
                var basis = p.Slice(previous * length, length);
                TensorPrimitives.MultiplyAdd(basis, -TensorPrimitives.Dot(column, basis), column, column);
            }
            double norm = Math.Sqrt(TensorPrimitives.SumOfSquares(column));
            if (norm > 1e-20 && double.IsFinite(norm)) TensorPrimitives.Multiply(column, (float)(1 / norm), column);
            else column.Clear();
        }
    }

    /// <summary>Qᵀ[k, :] = Σᵢ Pᵀ[k, i] M[i, :], overwriting the warm start.</summary>
    private static void MultiplyTransposedByP(ReadOnlySpan<float> m, in StageContext context, ReadOnlySpan<float> p, Span<float> q)
    {
        int rows = context.Rows, columns = context.Columns, r = p.Length / rows;
        q.Clear();
        for (int i = 0; i < rows; i++)
        {
            var row = m.Slice(i * columns, columns);
            for (int k = 0; k < r; k++)
            {
                var qRow = q.Slice(k * columns, columns);
                TensorPrimitives.MultiplyAdd(row, p[k * rows + i], qRow, qRow);
            }
        }
    }

    /// <summary>M̂[i, :] = Σₖ Pᵀ[k, i] Qᵀ[k, :].</summary>
    private static void Reconstruct(ReadOnlySpan<float> p, ReadOnlySpan<float> q, in StageContext context, Span<float> destination)
    {
        int rows = context.Rows, columns = context.Columns, r = p.Length / rows;
        for (int i = 0; i < rows; i++)
        {
            var row = destination.Slice(i * columns, columns);
            row.Clear();
            for (int k = 0; k < r; k++) TensorPrimitives.MultiplyAdd(q.Slice(k * columns, columns), p[k * rows + i], row, row);
        }
    }

    /// <summary><c>lowrank:R</c>.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        public string Name => "lowrank";

        public StageRole Role => StageRole.LowRank;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            if (arguments.Length != 1 || !int.TryParse(arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rank) || rank is < 1 or > MaxRank)
                throw new FormatException($"expected lowrank:R with the rank R an integer from 1 to {MaxRank}, e.g. lowrank:4");
            return new ConfiguredStage($"lowrank:{rank}", Role, next => new LowRankFactorizer(rank, next));
        }
    }
}
