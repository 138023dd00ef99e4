using System.Globalization;

namespace PoolCompress.Compression.Codecs;

/// <summary>A parsed spec: its canonical text, the chain, the clauses' coder and prediction, and the stage names used.</summary>
internal sealed record ParsedSpec(string Text, CodecStage Chain, CodecStage? Whole, bool WholeThroughChain, float Prediction, IReadOnlyList<string> StageNames);

/// <summary>Parses spec text into a stage chain and its canonical text.</summary>
internal static class CodecSpecParser
{
    /// <summary>What follows the chain, after ';', to code the tensors an update sends whole.</summary>
    public const string WholeClause = "whole=";

    /// <summary>The <c>whole=</c> clause's value that sends no tensor whole: biases and small tensors join the chain (and a
    /// global top-k's selection) with the rest, so an update pays for them only where they moved most.</summary>
    public const string ThroughChain = "chain";

    /// <summary>What follows the chain, after ';', on a downlink: the factor by which both sides extrapolate the published model's last movement.</summary>
    public const string PredictClause = "predict=";

    public static ParsedSpec Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new CodecSpecException($"codec '{spec}': the spec is empty; write stages joined by '>', e.g. 'topk:0.01>q:4'. Stages: {string.Join(", ", CodecStages.Names)}");

        var clauses = spec.Split(';');
        var (chainText, chain, names, roles) = ParseChain(spec, clauses[0]);
        (string Text, CodecStage? Coder, string? Name)? whole = null;
        float? prediction = null;
        foreach (var clause in clauses.Skip(1).Select(c => c.Trim()))
        {
            if (clause.StartsWith(WholeClause, StringComparison.Ordinal) && whole is null) whole = ParseWhole(spec, clause);
            else if (clause.StartsWith(PredictClause, StringComparison.Ordinal) && prediction is null) prediction = ParsePrediction(spec, clause);
            else throw new CodecSpecException($"codec '{spec}': clause '{clause}' is unknown or repeated; after the chain come at most '{WholeClause}CODER' and '{PredictClause}FACTOR', once each");
        }
        if (whole is not null && chain is DenseFloat32Coder)
            throw new CodecSpecException($"codec '{spec}': '{WholeClause}' codes what a lossy chain sends whole; beside the lossless 'none' everything goes as exact float32");
        var throughChain = whole?.Text == ThroughChain;
        if (throughChain && roles.Any(role => role is StageRole.Pooler or StageRole.LowRank))
            throw new CodecSpecException($"codec '{spec}': '{WholeClause}{ThroughChain}' sends biases through the chain, and a chain that pools rows or factors matrices ({CodecStages.NamesOf(StageRole.Pooler)}, {CodecStages.NamesOf(StageRole.LowRank)}) cannot code a vector");
        var text = chainText;
        if (whole is { } w) text += $";{WholeClause}{w.Text}";
        if (prediction is > 0) text += $";{PredictClause}{prediction.Value.ToString("R", CultureInfo.InvariantCulture)}";
        return new ParsedSpec(text, chain, whole?.Coder, throughChain, prediction ?? 0, [.. names.Append(whole?.Name).OfType<string>().Distinct()]);
    }

    private static float ParsePrediction(string spec, string clause)
    {
        var text = clause[PredictClause.Length..].Trim();
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) || !(factor >= 0 && factor < 1))
            throw new CodecSpecException($"codec '{spec}': clause '{clause}': FACTOR must be a number in [0, 1), the share of the published model's last movement both sides add before the step");
        return factor;
    }

    private static (string Text, CodecStage? Coder, string? Name) ParseWhole(string spec, string clause)
    {
        var usage = $"a value coder ({CodecStages.NamesOf(StageRole.ValueCoder)}) or '{ThroughChain}'";
        var coderText = clause[WholeClause.Length..].Trim();
        if (coderText == ThroughChain) return (ThroughChain, null, null);
        ConfiguredStage stage;
        try
        {
            stage = ParseStage(coderText);
        }
        catch (FormatException e)
        {
            throw new CodecSpecException($"codec '{spec}': clause '{clause}': {e.Message}", e);
        }
        if (stage.Role != StageRole.ValueCoder)
            throw new CodecSpecException($"codec '{spec}': clause '{clause}': tensors sent whole are coded by {usage}, not '{coderText}'");
        return (stage.Text, stage.Create(DenseFloat32Coder.Instance), coderText.Split(':')[0]);
    }

    private static (string Text, CodecStage Chain, string[] Names, StageRole[] Roles) ParseChain(string spec, string chainSpec)
    {
        var parts = chainSpec.Split('>');
        var stages = new ConfiguredStage[parts.Length];
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
        return (string.Join('>', stages.Select(s => s.Text)), chain, [.. parts.Select(part => part.Trim().Split(':')[0])], [.. stages.Select(s => s.Role)]);
    }

    private static void CheckOrder(string spec, string[] parts, ConfiguredStage[] stages)
    {
        var valueCoders = $"a value coder ({CodecStages.NamesOf(StageRole.ValueCoder)})";
        var sparsifiers = $"any sparsifier ({CodecStages.NamesOf(StageRole.Sparsifier)})";
        var seenSparsifier = false;
        for (var i = 0; i < stages.Length; i++)
        {
            var part = parts[i].Trim();
            var (where, name, role) = ($"codec '{spec}': stage {i + 1} '{part}'", part.Split(':')[0], stages[i].Role);
            if (role == StageRole.ValueCoder && i != stages.Length - 1)
                throw new CodecSpecException($"{where}: {valueCoders} must be the last stage");
            if (role == StageRole.Pooler && seenSparsifier)
                throw new CodecSpecException($"{where}: {name} must come before {sparsifiers}, whose output has no rows to pool");
            if (role == StageRole.LowRank && seenSparsifier)
                throw new CodecSpecException($"{where}: {name} must come before {sparsifiers}, whose output is no matrix");
            if (role == StageRole.LowRank && i + 1 < stages.Length && stages[i + 1].Role != StageRole.ValueCoder)
                throw new CodecSpecException($"{where}: only {valueCoders} may follow {name}, to code its factors");
            if (role == StageRole.GlobalSparsifier && i != 0)
                throw new CodecSpecException($"{where}: a global top-k selects across the whole update and must be the first stage");
            seenSparsifier |= role is StageRole.Sparsifier or StageRole.GlobalSparsifier;
        }
    }

    private static ConfiguredStage ParseStage(string text)
    {
        var fields = text.Split(':');
        var stage = CodecStages.Find(fields[0])
            ?? throw new FormatException($"unknown stage '{fields[0]}'; allowed stages are {string.Join(", ", CodecStages.Names)}");
        return stage.Configure(fields.AsSpan(1));
    }
}
