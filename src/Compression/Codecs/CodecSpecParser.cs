using System.Globalization;

namespace PoolCompress.Compression.Codecs;

/// <summary>Parses spec text into a stage chain and its canonical text.</summary>
internal static class CodecSpecParser
{
    public static readonly string[] StageNames = ["none", "fp16", "bf16", "q", "ternary", "topk", "randk", "threshold", "pool", "lowrank"];

    private enum Role { ValueCoder, Sparsifier, GlobalSparsifier, Pooler, LowRank }

    /// <summary>A parsed stage: its canonical text and how to build it in front of the rest of the chain.</summary>
    private sealed record ParsedStage(string Text, Role Role, Func<CodecStage, CodecStage> Create);

    /// <summary>What follows the chain, after ';', to code the tensors an update sends whole.</summary>
    public const string WholeClause = "whole=";

    public static (string Text, CodecStage Chain, CodecStage? Whole) Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new CodecSpecException($"codec '{spec}': the spec is empty; write stages joined by '>', e.g. 'topk:0.01>q:4'. Stages: {string.Join(", ", StageNames)}");

        var clauses = spec.Split(';');
        if (clauses.Length > 2)
            throw new CodecSpecException($"codec '{spec}': at most one ';' clause may follow the chain, '{WholeClause}CODER'");
        var (chainText, chain) = ParseChain(spec, clauses[0]);
        if (clauses.Length == 1) return (chainText, chain, null);

        var (wholeText, whole) = ParseWhole(spec, clauses[1].Trim());
        if (chain is DenseFloat32Coder)
            throw new CodecSpecException($"codec '{spec}': '{WholeClause}' codes what a lossy chain sends whole; beside the lossless 'none' everything goes as exact float32");
        return ($"{chainText};{WholeClause}{wholeText}", chain, whole);
    }

    private static (string Text, CodecStage Coder) ParseWhole(string spec, string clause)
    {
        const string usage = "a value coder (none, fp16, bf16, q:BITS..., ternary)";
        if (!clause.StartsWith(WholeClause, StringComparison.Ordinal))
            throw new CodecSpecException($"codec '{spec}': clause '{clause}' is unknown; the only clause is '{WholeClause}CODER' with CODER {usage}");
        var coderText = clause[WholeClause.Length..].Trim();
        ParsedStage stage;
        try
        {
            stage = ParseStage(coderText);
        }
        catch (FormatException e)
        {
            throw new CodecSpecException($"codec '{spec}': clause '{clause}': {e.Message}", e);
        }
        if (stage.Role != Role.ValueCoder)
            throw new CodecSpecException($"codec '{spec}': clause '{clause}': tensors sent whole are coded by {usage}, not '{coderText}'");
        return (stage.Text, stage.Create(DenseFloat32Coder.Instance));
    }

    private static (string Text, CodecStage Chain) ParseChain(string spec, string chainSpec)
    {
        var parts = chainSpec.Split('>');
        var stages = new ParsedStage[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            try
            {
                stages[i] = ParseStage(part);
            }
            catch (FormatException e)
            {
                throw new CodecSpecException($"codec '{spec}': stage {i + 1} '{part}': {e.Message}", e);
            }
        }
        CheckOrder(spec, parts, stages);

        // Value coders ignore what follows; a chain that ends in a transform sends its surviving values as exact float32.
        var chain = stages[^1].Create(DenseFloat32Coder.Instance);
        for (var i = stages.Length - 2; i >= 0; i--) chain = stages[i].Create(chain);
        return (string.Join('>', stages.Select(s => s.Text)), chain);
    }

    private static void CheckOrder(string spec, string[] parts, ParsedStage[] stages)
    {
        var seenSparsifier = false;
        for (var i = 0; i < stages.Length; i++)
        {
            var where = $"codec '{spec}': stage {i + 1} '{parts[i].Trim()}'";
            if (stages[i].Role == Role.ValueCoder && i != stages.Length - 1)
                throw new CodecSpecException($"{where}: a value coder (none, fp16, bf16, q, ternary) must be the last stage");
            if (stages[i].Role == Role.Pooler && seenSparsifier)
                throw new CodecSpecException($"{where}: pool must come before any sparsifier (topk, randk, threshold), whose output has no rows to pool");
            if (stages[i].Role == Role.LowRank && seenSparsifier)
                throw new CodecSpecException($"{where}: lowrank must come before any sparsifier (topk, randk, threshold), whose output is no matrix");
            if (stages[i].Role == Role.LowRank && i + 1 < stages.Length && stages[i + 1].Role != Role.ValueCoder)
                throw new CodecSpecException($"{where}: only a value coder (none, fp16, bf16, q, ternary) may follow lowrank, to code its factors");
            if (stages[i].Role == Role.GlobalSparsifier && i != 0)
                throw new CodecSpecException($"{where}: a global top-k selects across the whole update and must be the first stage");
            seenSparsifier |= stages[i].Role is Role.Sparsifier or Role.GlobalSparsifier;
        }
    }

    private static ParsedStage ParseStage(string text)
    {
        var fields = text.Split(':');
        var name = fields[0];
        var args = fields.AsSpan(1);
        switch (name)
        {
            case "none":
                ExpectNoArguments(args, name);
                return new ParsedStage(name, Role.ValueCoder, _ => DenseFloat32Coder.Instance);
            case "fp16":
                ExpectNoArguments(args, name);
                return new ParsedStage(name, Role.ValueCoder, _ => Float16Coder.Instance);
            case "bf16":
                ExpectNoArguments(args, name);
                return new ParsedStage(name, Role.ValueCoder, _ => new BFloat16Coder());
            case "ternary":
                ExpectNoArguments(args, name);
                return new ParsedStage(name, Role.ValueCoder, _ => new TernaryCoder());
            case "q":
                var settings = ParseQuantizer(args);
                return new ParsedStage(settings.ToString(), Role.ValueCoder, _ => new UniformQuantizer(settings));
            case "topk":
                var global = args.Length >= 2 && args[1] == "global";
                var topFraction = ParseFraction(args[..Math.Min(args.Length, 1)], name, TopKUsage);
                if (args.Length > 1 && !global) throw new FormatException($"expected {TopKUsage}");
                var schedule = ParseGlobalTopKOptions(global ? args[2..] : [], topFraction);
                return new ParsedStage($"topk:{Format(topFraction)}{(global ? ":global" : "")}{schedule}", global ? Role.GlobalSparsifier : Role.Sparsifier,
                    next => new TopKSparsifier(topFraction, global, next, schedule));
            case "randk":
                var randomFraction = ParseFraction(args, name, "randk:FRACTION");
                return new ParsedStage($"randk:{Format(randomFraction)}", Role.Sparsifier, next => new RandomKSparsifier(randomFraction, next));
            case "threshold":
                var threshold = ParseThreshold(args);
                return new ParsedStage($"threshold:{Format(threshold)}", Role.Sparsifier, next => new ThresholdSparsifier(threshold, next));
            case "pool":
                var (rows, columns) = ParseWindow(args);
                var windowText = rows == 1 ? $"{columns}" : $"{rows}x{columns}";
                return new ParsedStage($"pool:{windowText}", Role.Pooler, next => new WindowPooler(rows, columns, next));
            case "lowrank":
                var rank = ParseRank(args);
                return new ParsedStage($"lowrank:{rank}", Role.LowRank, next => new LowRankFactorizer(rank, next));
            default:
                throw new FormatException($"unknown stage '{name}'; allowed stages are {string.Join(", ", StageNames)}");
        }
    }

    private const string TopKUsage = "topk:FRACTION or topk:FRACTION:global, then optional :warmup=N, :from=D, :momentum=M";

    private static TopKSchedule ParseGlobalTopKOptions(ReadOnlySpan<string> options, double fraction)
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
            else throw new FormatException($"unknown or repeated option '{option}'; expected {TopKUsage}");
        }
        if (from is not null && warmup is null) throw new FormatException($"'from={Format(from.Value)}' needs :warmup=N (the updates over which the density falls from D to FRACTION)");
        return new TopKSchedule(warmup ?? 0, momentum ?? 0, from ?? 1);
    }

    private static void ExpectNoArguments(ReadOnlySpan<string> args, string name)
    {
        if (args.Length != 0) throw new FormatException($"'{name}' takes no arguments");
    }

    private static QuantizerSettings ParseQuantizer(ReadOnlySpan<string> args)
    {
        const string usage = "expected q:BITS with BITS 1 to 16, then optional :block=N, :asym, :stochastic";
        if (args.Length == 0 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is < 1 or > 16)
            throw new FormatException($"BITS must be an integer from 1 to 16; {usage}");
        int? blockSize = null;
        bool asymmetric = false, stochastic = false;
        foreach (var option in args[1..])
        {
            if (option.StartsWith("block=", StringComparison.Ordinal) && blockSize is null)
            {
                if (!int.TryParse(option.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var block) || block < 1)
                    throw new FormatException($"'{option}': block size must be a positive integer");
                blockSize = block;
            }
            else if (option == "asym" && !asymmetric) asymmetric = true;
            else if (option == "stochastic" && !stochastic) stochastic = true;
            else throw new FormatException($"unknown or repeated option '{option}'; {usage}");
        }
        return new QuantizerSettings(bits, blockSize ?? 0, asymmetric, stochastic);
    }

    private static double ParseFraction(ReadOnlySpan<string> args, string name, string usage)
    {
        if (args.Length != 1 || !double.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || !(fraction is > 0 and <= 1))
            throw new FormatException($"FRACTION must be in (0,1]; expected {usage}, e.g. {name}:0.01");
        return fraction;
    }

    private static float ParseThreshold(ReadOnlySpan<string> args)
    {
        if (args.Length != 1 || !float.TryParse(args[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold) || !float.IsFinite(threshold) || threshold <= 0)
            throw new FormatException("T must be a finite number > 0; expected threshold:T, e.g. threshold:0.001");
        return threshold;
    }

    private static int ParseRank(ReadOnlySpan<string> args)
    {
        if (args.Length != 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rank) || rank is < 1 or > LowRankFactorizer.MaxRank)
            throw new FormatException($"expected lowrank:R with the rank R an integer from 1 to {LowRankFactorizer.MaxRank}, e.g. lowrank:4");
        return rank;
    }

    private static (int Rows, int Columns) ParseWindow(ReadOnlySpan<string> args)
    {
        const string usage = "expected pool:W (W consecutive elements of a row) or pool:HxW (H-by-W blocks), with H and W from 1 to 65536";
        if (args.Length != 1) throw new FormatException(usage);
        var sides = args[0].Split('x');
        if (sides.Length > 2 || !sides.All(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65536))
            throw new FormatException(usage);
        return sides.Length == 1 ? (1, int.Parse(sides[0], CultureInfo.InvariantCulture)) : (int.Parse(sides[0], CultureInfo.InvariantCulture), int.Parse(sides[1], CultureInfo.InvariantCulture));
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
