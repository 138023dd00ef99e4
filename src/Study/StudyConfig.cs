using PoolCompress.Contracts;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Onnx;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PoolCompress.Study;

/// <summary>
/// A study: a grid of federations that differ only in the grid's dimensions, run over the same data, seeds and
/// links. Written as YAML or JSON; see examples/quick-study.yaml.
/// </summary>
/// <param name="Base">The federation options every run shares; the grid's dimensions are left at their defaults.</param>
/// <param name="DataDir">MNIST IDX folder (absolute), or null for the default digits.</param>
/// <param name="TargetAccuracy">The test accuracy time and bytes are measured to; null for none.</param>
/// <param name="Parallel">How many runs the runner may execute side by side.</param>
public sealed record StudyConfig(
    string Name,
    FederationSettings Base,
    string? DataDir,
    StudyGrid Grid,
    StudyLinks Links,
    double? TargetAccuracy,
    int Parallel)
{
    /// <summary>
    /// Rounds before the last, ascending, at which the report also compares each run with its reference: one long
    /// study stands for shorter ones, since a federation's first rounds do not depend on how many follow.
    /// </summary>
    public IReadOnlyList<int> Checkpoints { get; init; } = [];

    /// <summary>Exports to make of every run's final model and measure (its <c>deployment</c> section); empty for none.</summary>
    public IReadOnlyList<DeploymentExport> Deployment { get; init; } = [];

    /// <summary>Reads and validates a study config; relative paths in it are relative to its folder.</summary>
    /// <exception cref="StudyConfigException">Every problem in the file, one line each, found before anything runs.</exception>
    public static StudyConfig Load(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new StudyConfigException(fullPath, [$"config file '{fullPath}' does not exist"]);

        var problems = new List<string>();
        var config = StudyConfigReader.Read(ParseYaml(fullPath), fullPath, problems);
        if (config is not null)
        {
            config = config with { Grid = config.Grid.Canonical() };
            problems.AddRange(config.Grid.Duplicates());
            problems.AddRange(FederationProblems(config));
        }
        return problems.Count == 0 && config is not null ? config : throw new StudyConfigException(fullPath, problems);
    }

    private static YamlNode ParseYaml(string path)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            throw new StudyConfigException(path, [$"line {e.Start.Line}, column {e.Start.Column}: not valid YAML or JSON: {(e.InnerException ?? e).Message}"]);
        }
        return yaml.Documents.FirstOrDefault()?.RootNode
            ?? throw new StudyConfigException(path, ["the config file is empty"]);
    }

    /// <summary>
    /// Every planned run's settings through the coordinator's own validator, so a study accepts exactly what a
    /// federation would; a problem shared by many runs (a bad codec, a bad base option) is reported once.
    /// </summary>
    private static IEnumerable<string> FederationProblems(StudyConfig config)
    {
        var validator = new FederationSettingsValidator();
        return StudyPlan.Expand(config)
            .SelectMany(run => validator.Validate(null, run.Settings).Failures ?? [])
            .Distinct();
    }
}
