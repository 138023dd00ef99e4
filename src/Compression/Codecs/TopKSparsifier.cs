using System.Globalization;
using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>Keeps exactly the k = ⌈fraction·n⌉ elements of largest magnitude (<c>topk:FRACTION</c>); with
/// <paramref name="global"/> (<c>topk:FRACTION:global</c>) k counts over the whole update, so that tensors whose
/// elements move more (convolutions, the output layer) get more of the budget than one wide layer of small steps.</summary>
internal sealed class TopKSparsifier(double fraction, bool global, CodecStage next, TopKSchedule schedule) : Sparsifier(next)
{
    public double Fraction => fraction;

    public bool IsGlobal => global;

    public TopKSchedule Schedule => schedule;

    protected override int MaxSelected(int length) => global ? length : CountOf(fraction, length);

    protected override int Select(ReadOnlySpan<float> input, in StageContext context, Span<int> indices)
    {
        // A zero threshold (an update with fewer than k non-zeros) keeps every non-zero, not every element.
        if (global) return MagnitudeSelector.SelectAtLeast(input, MathF.Max(context.UpdateThreshold, float.Epsilon), indices);
        var k = CountOf(fraction, input.Length);
        MagnitudeSelector.SelectLargest(input, indices[..k]);
        return k;
    }

    /// <summary><c>topk:FRACTION</c>, or <c>topk:FRACTION:global</c> with its warm-up and momentum options.</summary>
    public sealed class Definition : ICodecStageDefinition
    {
        private const string Usage = "topk:FRACTION or topk:FRACTION:global, then optional :warmup=N, :from=D, :momentum=M";

        public string Name => "topk";

        public StageRole Role => StageRole.Sparsifier;

        public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
        {
            var global = arguments.Length >= 2 && arguments[1] == "global";
            var fraction = StageArguments.Fraction(arguments[..Math.Min(arguments.Length, 1)], Name, Usage);
            if (arguments.Length > 1 && !global) throw new FormatException($"expected {Usage}");
            var schedule = Schedule(global ? arguments[2..] : [], fraction);
            return new ConfiguredStage($"topk:{StageArguments.Format(fraction)}{(global ? ":global" : "")}{schedule}", global ? StageRole.GlobalSparsifier : StageRole.Sparsifier,
                next => new TopKSparsifier(fraction, global, next, schedule));
        }

        private static TopKSchedule Schedule(ReadOnlySpan<string> options, double fraction)
        {
            int? warmup = null;
            double? momentum = null, from = null;
            foreach (var option in options)
            {
                if (option.StartsWith("warmup=", StringComparison.Ordinal) && warmup is null)
                {
                    if (!int.TryParse(option.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var updates) || updates is < 1 or > TopKSchedule.MaxWarmup)
                        throw new FormatException($"'{option}': N must be an integer from 1 to {TopKSchedule.MaxWarmup} (updates over which the density falls to FRACTION)");
                    warmup = updates;
                }
                else if (option.StartsWith("from=", StringComparison.Ordinal) && from is null)
                {
                    if (!double.TryParse(option.AsSpan(5), NumberStyles.Float, CultureInfo.InvariantCulture, out var start) || !(start > fraction && start <= 1))
                        throw new FormatException($"'{option}': D must be above FRACTION and at most 1 (the density of a client's first update in a warm-up)");
                    from = start;
                }
                else if (option.StartsWith("momentum=", StringComparison.Ordinal) && momentum is null)
                {
                    if (!double.TryParse(option.AsSpan(9), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || !(factor is > 0 and < 1))
                        throw new FormatException($"'{option}': M must be in (0,1)");
                    momentum = factor;
                }
                else throw new FormatException($"unknown or repeated option '{option}'; expected {Usage}");
            }
            if (from is not null && warmup is null) throw new FormatException($"'from={StageArguments.Format(from.Value)}' needs :warmup=N (the updates over which the density falls from D to FRACTION)");
            return new TopKSchedule(warmup ?? 0, momentum ?? 0, from ?? 1);
        }
    }
}
