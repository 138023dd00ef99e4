using System.Globalization;
using System.Numerics.Tensors;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression.Codecs;

/// <summary>Averages the update over windows of <c>rows × columns</c> of the tensor's matrix view (<c>pool:W</c> is 1×W,
/// a run of a row; <c>pool:HxW</c> is a 2-D block) and sends the pooled matrix through the next stage. Decoding spreads
/// each pooled value back over its window. Edge windows that overhang the matrix average only what they cover.</summary>
internal sealed class WindowPooler(int windowRows, int windowColumns, CodecStage next) : CodecStage
{
    public override void Encode(ReadOnlySpan<float> input, in StageContext context, PayloadWriter output, Span<float> reconstruction)
    {
        var pooledContext = PooledContext(context);
        using var pooled = new PooledBuffer<float>(pooledContext.Length);
        using var pooledReconstruction = new PooledBuffer<float>(pooledContext.Length);
        Pool(input, context, pooled.Span);
        next.Encode(pooled.Span, pooledContext, output, pooledReconstruction.Span);
        Spread(pooledReconstruction.Span, context, reconstruction);
    }

    public override void Decode(ref PayloadReader input, in StageContext context, Span<float> destination)
    {
        var pooledContext = PooledContext(context);
        using var pooled = new PooledBuffer<float>(pooledContext.Length);
        next.Decode(ref input, pooledContext, pooled.Span);
        Spread(pooled.Span, context, destination);
    }

    private StageContext PooledContext(in StageContext context) =>
        context.Next(DivideRoundingUp(context.Rows, windowRows), DivideRoundingUp(context.Columns, windowColumns));

    private void Pool(ReadOnlySpan<float> input, in StageContext context, Span<float> pooled)
    {
        var pooledColumns = DivideRoundingUp(context.Columns, windowColumns);
        pooled.Clear();
        for (var row = 0; row < context.Rows; row++)
        {
            var sums = pooled.Slice(row / windowRows * pooledColumns, pooledColumns);
            var values = input.Slice(row * context.Columns, context.Columns);
            for (var window = 0; window < pooledColumns; window++)
                sums[window] += TensorPrimitives.Sum(values[WindowOf(values.Length, window)]);
        }
        for (var i = 0; i < pooled.Length; i++)
        {
            var (pooledRow, pooledColumn) = Math.DivRem(i, pooledColumns);
            var coveredRows = Math.Min(windowRows, context.Rows - pooledRow * windowRows);
            var coveredColumns = Math.Min(windowColumns, context.Columns - pooledColumn * windowColumns);
            pooled[i] /= coveredRows * coveredColumns;
        }
    }

    private void Spread(ReadOnlySpan<float> pooled, in StageContext context, Span<float> destination)
    {
        var pooledColumns = DivideRoundingUp(context.Columns, windowColumns);
        for (var row = 0; row < context.Rows; row++)
        {
            var source = pooled.Slice(row / windowRows * pooledColumns, pooledColumns);
            var values = destination.Slice(row * context.Columns, context.Columns);
            for (var window = 0; window < pooledColumns; window++)
                values[WindowOf(values.Length, window)].Fill(source[window]);
        }
    }

    /// <summary>The columns of a row that window <paramref name="window"/> covers.</summary>
    private Range WindowOf(int rowLength, int window) =>
        new(window * windowColumns, Math.Min((window + 1) * windowColumns, rowLength));

    private static int DivideRoundingUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);

    /// <summary><c>pool:W</c> or <c>pool:HxW</c>.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        private const string Usage = "expected pool:W (W consecutive elements of a row) or pool:HxW (H-by-W blocks), with H and W from 1 to 65536";

        public string Name => "pool";

        public StageRole Role => StageRole.Pooler;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            if (arguments.Length != 1) throw new FormatException(Usage);
            var sides = arguments[0].Split('x');
            if (sides.Length > 2 || !sides.All(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65536))
                throw new FormatException(Usage);
            var (rows, columns) = sides.Length == 1
                ? (1, int.Parse(sides[0], CultureInfo.InvariantCulture))
                : (int.Parse(sides[0], CultureInfo.InvariantCulture), int.Parse(sides[1], CultureInfo.InvariantCulture));
            var windowText = rows == 1 ? $"{columns}" : $"{rows}x{columns}";
            return new ConfiguredStage($"pool:{windowText}", Role, next => new WindowPooler(rows, columns, next));
        }
    }
}
