namespace PoolCompress.Compression.Codecs;

/// <summary>Parses spec text into a stage chain and its canonical text.</summary>
internal static class CodecSpecParser
{
    /// <summary>What follows the chain, after ';', to code the tensors an update sends whole.</summary>
    public const string WholeClause = "whole=";

    public static (string Text, CodecStage Chain, CodecStage? Whole) Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw new CodecSpecException($"codec '{spec}': the spec is empty; write stages joined by '>', e.g. 'topk:0.01>q:4'. Stages: {string.Join(", ", CodecStages.Names)}");

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
        var usage = $"a value coder ({CodecStages.NamesOf(StageRole.ValueCoder)})";
        if (!clause.StartsWith(WholeClause, StringComparison.Ordinal))
            throw new CodecSpecException($"codec '{spec}': clause '{clause}' is unknown; the only clause is '{WholeClause}CODER' with CODER {usage}");
        var coderText = clause[WholeClause.Length..].Trim();
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
        return (stage.Text, stage.Create(DenseFloat32Coder.Instance));
    }

    private static (string Text, CodecStage Chain) ParseChain(string spec, string chainSpec)
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
        return (string.Join('>', stages.Select(s => s.Text)), chain);
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
