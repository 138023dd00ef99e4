using PoolCompress.Contracts;
using PoolCompress.Learning;
using PoolCompress.Onnx;
using PoolCompress.Plugins;
using PoolCompress.Reporting;
using PoolCompress.Simulation;
using YamlDotNet.RepresentationModel;

namespace PoolCompress.Study;

/// <summary>
/// Maps a study config's YAML tree onto <see cref="StudyConfig"/>: known keys, value types and the files it names.
/// What the values mean for a federation is left to the federation's validator.
/// </summary>
internal static class StudyConfigReader
{
    private static readonly string[] TopKeys = ["name", "base", "grid", "links", "target-accuracy", "parallel", "checkpoints", "deployment"];

    private const string ModelAssemblyKey = "model-assembly";
    private const string PluginAssembliesKey = "plugin-assemblies";

    /// <summary>The federation options a study takes, named as on the command line without the leading "--".</summary>
    private static readonly string[] BaseKeys = [.. FederationOptions.Study.Select(o => o.Name), ModelAssemblyKey, PluginAssembliesKey];

    /// <summary>Base keys read with a rule of their own below; the rest are set as they are.</summary>
    private static readonly FederationOption[] ReadApart =
        [FederationOptions.Clients, FederationOptions.MinClients, FederationOptions.RoundTimeout, FederationOptions.DataDir, FederationOptions.Teacher,
         FederationOptions.TransferData];

    private static readonly string[] GridKeys = ["codecs", "models", "partitions", "seeds", "strategies", "attacks"];
    private static readonly string[] StrategyKeys = ["strategy", "clip-norm"];
    private static readonly string[] LinkKeys = ["mode", "assign"];
    private static readonly string[] CodecKeys = ["up", "down", "secure-support"];
    private static readonly string[] DeploymentKeys = ["name", "quantize", "prune", "prune-channels"];

    /// <summary>Null only when the file's top level is not a mapping; otherwise a config with defaults where values were bad.</summary>
    public static StudyConfig? Read(YamlNode root, string configPath, List<string> problems)
    {
        if (YamlSection.Read(root, "", TopKeys, problems) is not { } top) return null;
        string folder = Path.GetDirectoryName(configPath)!;
        var (settings, dataDir) = Base(top, folder, problems);

        string name = top.String("name") ?? Path.GetFileNameWithoutExtension(configPath);
        if (string.IsNullOrWhiteSpace(name)) top.Problem("name", "name must not be empty");
        double? target = top.Double("target-accuracy");
        if (target is not (null or > 0 and <= 1))
            top.Problem("target-accuracy", $"target-accuracy must be a fraction in (0, 1], e.g. 0.97, got {target}");
        int parallel = top.Int("parallel") ?? 1;
        if (parallel < 1) top.Problem("parallel", $"parallel must be at least 1, got {parallel}");

        return new StudyConfig(name, settings, dataDir, Grid(top, problems), Links(top, folder, problems), target, parallel)
        {
            Checkpoints = Checkpoints(top, settings.Rounds),
            Deployment = top.Node("deployment") is { } deployment ? Deployment(deployment, problems) : [],
        };
    }

    /// <summary>Each bad round is its own problem; only the good ones are kept, so the rest of the file is still checked.</summary>
    private static List<int> Checkpoints(YamlSection top, int rounds)
    {
        var checkpoints = new List<int>();
        foreach (long round in top.Longs("checkpoints") ?? [])
        {
            if (round < 1)
                top.Problem("checkpoints", $"checkpoints must be rounds of 1 or more, got {round}");
            else if (round >= rounds)
                top.Problem("checkpoints", $"checkpoints must be below base.rounds ({rounds}), got {round}; the last round is always reported");
            else if (checkpoints.Count > 0 && round <= checkpoints[^1])
                top.Problem("checkpoints", $"checkpoints must be ascending without repeats, got {round} after {checkpoints[^1]}");
            else
                checkpoints.Add((int)round);
        }
        return checkpoints;
    }

    private static (FederationSettings Settings, string? DataDir) Base(YamlSection top, string folder, List<string> problems)
    {
        var settings = new FederationSettings();
        if (top.Node("base") is not { } node || YamlSection.Read(node, "base", BaseKeys, problems) is not { } section)
            return (settings, null);
        // Checked here, not only by the federation validator, because min-clients is bounded by clients: a bad
        // count kept out of the settings is reported once instead of again as a bad min-clients.
        if (section.Int(FederationOptions.Clients.Name) is { } clients)
        {
            if (FederationOptions.Clients.IsValid!(clients)) settings.Clients = clients;
            else section.Problem(FederationOptions.Clients.Name, $"base.{FederationOptions.Clients.Describe(clients)}");
        }
        foreach (var option in FederationOptions.Study.Except(ReadApart)) option.Accept(new BaseValue(section, settings));
        if (section.Double(FederationOptions.RoundTimeout.Name) is { } seconds)
        {
            if (seconds <= TimeSpan.MaxValue.TotalSeconds) settings.RoundTimeout = TimeSpan.FromSeconds(seconds);
            else section.Problem(FederationOptions.RoundTimeout.Name, $"base.round-timeout is too long: {seconds} seconds");
        }
        if (section.String(FederationOptions.Teacher.Name) is { } teacher) settings.Teacher = Path.GetFullPath(teacher, folder);
        if (section.String(FederationOptions.TransferData.Name) is { } transfer) settings.TransferData = Path.GetFullPath(transfer, folder);
        // A study of few clients should not fail on a minimum it never set: the default applies only up to clients.
        settings.MinClients = section.Int(FederationOptions.MinClients.Name) ?? Math.Min(settings.MinClients, settings.Clients);

        // Loaded now, so that the grid's models are checked against the plug-ins like the zoo's.
        if (section.String(ModelAssemblyKey) is { } assembly)
        {
            try
            {
                ModelAssemblies.Load(Path.GetFullPath(assembly, folder));
            }
            catch (ModelAssemblyException e)
            {
                section.Problem(ModelAssemblyKey, $"base.model-assembly: {e.Message}");
            }
        }
        foreach (string plugin in section.Strings(PluginAssembliesKey) ?? [])
        {
            try
            {
                PluginAssemblies.Load(Path.GetFullPath(plugin, folder));
            }
            catch (PluginAssemblyException e)
            {
                section.Problem(PluginAssembliesKey, $"base.plugin-assemblies: {e.Message}");
            }
        }

        string? dataDir = section.String(FederationOptions.DataDir.Name) is { } dir ? Path.GetFullPath(dir, folder) : null;
        if (dataDir is not null && !Directory.Exists(dataDir))
            section.Problem(FederationOptions.DataDir.Name, $"base.data-dir: folder '{dataDir}' does not exist");
        return (settings, dataDir);
    }

    private static StudyGrid Grid(YamlSection top, List<string> problems)
    {
        var defaults = new FederationSettings();
        var section = top.Node("grid") is { } node ? YamlSection.Read(node, "grid", GridKeys, problems) : null;
        var codecs = section?.Node("codecs") is { } codecNode ? Codecs(codecNode, problems) : [];
        if (codecs.Count == 0)
            problems.Add("grid.codecs must list at least one codec, e.g. codecs: [\"none\", \"topk:0.01>q:4\"]");
        return new StudyGrid(
            codecs,
            [.. (NonEmpty(section, "models") ?? [defaults.Model]).Select(ModelChoice.Parse)],
            NonEmpty(section, "partitions") ?? [defaults.Partition],
            section?.Longs("seeds") is { Count: > 0 } seeds ? seeds : [defaults.Seed],
            section?.Node("strategies") is { } strategyNode ? Strategies(strategyNode, problems) : null,
            NonEmpty(section, "attacks"));
    }

    /// <summary>A list of strategy specs or {strategy, clip-norm} mappings.</summary>
    private static List<StrategyChoice> Strategies(YamlNode node, List<string> problems)
    {
        var strategies = new List<StrategyChoice>();
        foreach (var item in node is YamlSequenceNode sequence ? sequence.Children : [node])
        {
            if (item is YamlScalarNode { Value: { } spec })
            {
                strategies.Add(new StrategyChoice(spec));
            }
            else if (YamlSection.Read(item, "grid.strategies", StrategyKeys, problems) is { } entry)
            {
                if (entry.String("strategy") is { } strategy) strategies.Add(new StrategyChoice(strategy, entry.Double("clip-norm")));
                else problems.Add($"line {item.Start.Line}: grid.strategies entry needs 'strategy', e.g. {{strategy: fedavg, clip-norm: 1}}");
            }
        }
        return strategies;
    }

    /// <summary>A spec, a mapping {up, down, secure-support} (secure-support: a secure aggregation run), or a list of them.</summary>
    private static List<CodecChoice> Codecs(YamlNode node, List<string> problems)
    {
        IEnumerable<YamlNode> items = node is YamlSequenceNode sequence ? sequence.Children : [node];
        var codecs = new List<CodecChoice>();
        foreach (var item in items)
        {
            switch (item)
            {
                case YamlScalarNode { Value: { } spec }:
                    codecs.Add(new CodecChoice(spec));
                    break;
                case YamlMappingNode:
                    // Read reports unknown keys; it returns null only for what is not a mapping.
                    var pair = YamlSection.Read(item, "grid.codecs", CodecKeys, problems)!;
                    if (pair.String("up") is { } up) codecs.Add(new CodecChoice(up, pair.String("down"), pair.Double("secure-support")));
                    else problems.Add($"line {item.Start.Line}: grid.codecs entry needs 'up', e.g. {{up: \"topk:0.01>q:4\", down: \"topk:0.1>q:8\"}}");
                    break;
                default:
                    problems.Add($"line {item.Start.Line}: grid.codecs entries are codec specs or {{up: SPEC, down: SPEC}} mappings");
                    break;
            }
        }
        return codecs;
    }

    /// <summary>A list of {name, quantize, prune, prune-channels} mappings, names distinct and fit for a folder.</summary>
    private static List<DeploymentExport> Deployment(YamlNode node, List<string> problems)
    {
        var exports = new List<DeploymentExport>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in node is YamlSequenceNode sequence ? sequence.Children : [node])
        {
            if (YamlSection.Read(item, "deployment", DeploymentKeys, problems) is not { } entry) continue;
            string? name = entry.String("name");
            if (name is null || name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                problems.Add($"line {item.Start.Line}: deployment entry needs a 'name' of letters, digits, '-' and '_' (its folder), e.g. {{name: int8, quantize: int8}}");
            else if (!names.Add(name))
                entry.Problem("name", $"deployment name '{name}' is listed twice");
            else
                exports.AddRange(Export(entry, name, item.Start.Line, problems));
        }
        return exports;
    }

    private static IEnumerable<DeploymentExport> Export(YamlSection entry, string name, long line, List<string> problems)
    {
        try
        {
            var pruning = new PruningSettings(entry.Double("prune-channels") ?? 0, entry.Double("prune") ?? 0);
            pruning.Validate();
            var precision = entry.String("quantize") is { } quantize ? DeploymentExport.ParsePrecision(quantize, "deployment.quantize") : WeightPrecision.Float32;
            return [new DeploymentExport(name, pruning, precision)];
        }
        catch (ArgumentException e)
        {
            problems.Add($"line {line}: deployment '{name}': {e.Message}");
            return [];
        }
    }

    private static IReadOnlyList<string>? NonEmpty(YamlSection? section, string key) =>
        section?.Strings(key) is { Count: > 0 } values ? values : null;

    private static StudyLinks Links(YamlSection top, string folder, List<string> problems)
    {
        if (top.Node("links") is not { } node || YamlSection.Read(node, "links", LinkKeys, problems) is not { } section)
            return StudyLinks.Off;
        string modeText = section.String("mode") ?? "off";
        if (!Enum.TryParse<LinkMode>(modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            section.Problem("mode", $"links.mode '{modeText}' is unknown; allowed: {string.Join(", ", Enum.GetNames<LinkMode>().Select(n => n.ToLowerInvariant()))}");
            return StudyLinks.Off;
        }
        if (mode == LinkMode.Off) return StudyLinks.Off;

        const string FilePrefix = "file:";
        string? rule = section.String("assign");
        // A problem found here is reported here, with its line, and the links left off so that the federation
        // validator, which checks every planned run's link rule too, does not report it a second time.
        if (rule is null)
        {
            problems.Add($"links.assign is required when links.mode is {modeText}, e.g. assign: \"up=1mbit,down=10mbit,rtt=50ms\"");
            return StudyLinks.Off;
        }
        if (rule.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            rule = FilePrefix + Path.GetFullPath(rule[FilePrefix.Length..], folder);
            if (!File.Exists(rule[FilePrefix.Length..]))
            {
                section.Problem("assign", $"links.assign: link file '{rule[FilePrefix.Length..]}' does not exist");
                return StudyLinks.Off;
            }
        }
        return new StudyLinks(mode, rule);
    }

    /// <summary>Sets an option a study's base gives, read as its declared type; a wrong type is the section's problem.</summary>
    private sealed class BaseValue(YamlSection section, FederationSettings settings) : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option)
        {
            object? value = typeof(T) == typeof(int) ? section.Int(option.Name)
                : typeof(T) == typeof(double) ? section.Double(option.Name)
                : section.String(option.Name);
            if (value is not T typed || option.Set is null) return false;
            option.Set(settings, typed);
            return true;
        }
    }
}
