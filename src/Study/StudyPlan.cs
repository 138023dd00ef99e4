using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Reporting;

namespace PoolCompress.Study;

/// <summary>Expands a study's grid into the runs to execute, dense references included.</summary>
public static class StudyPlan
{
    /// <summary>
    /// Grouped by partition, model and seed; each group starts with its dense reference (codec none, plain head),
    /// which is planned even when the grid lists neither, so that every run has something to be compared with.
    /// Then the group's model entries crossed with the codecs, strategies and attacks, in the config's order. With
    /// strategies or attacks listed, the reference also uses the first strategy and no attack.
    /// </summary>
    public static IReadOnlyList<StudyRun> Expand(StudyConfig config)
    {
        var grid = config.Grid;
        var dense = new CodecChoice(CodecSpec.None.Text);
        IReadOnlyList<StrategyChoice?> strategies = grid.Strategies is { Count: > 0 } listed ? [.. listed] : [null];
        IReadOnlyList<string?> attacks = grid.Attacks is { Count: > 0 } named ? [.. named.Select(a => a == StudyGrid.NoAttack ? null : a)] : [null];
        var runs = new List<StudyRun>();
        foreach (string partition in grid.Partitions)
        foreach (string model in grid.Models.Select(m => m.Model).Distinct())
        foreach (long seed in grid.Seeds)
        {
            var reference = new ModelChoice(model, null);
            var point = new GridPoint(reference, partition, dense, seed, strategies[0], null);
            string referenceId = point.Id;
            runs.Add(Run(config, point, referenceId));
            foreach (var choice in grid.Models.Where(m => m.Model == model))
            foreach (var codec in grid.Codecs)
            foreach (var strategy in strategies)
            foreach (string? attack in attacks)
            {
                var run = new GridPoint(choice, partition, codec, seed, strategy, attack);
                if (run.Id != referenceId) runs.Add(Run(config, run, referenceId));
            }
        }
        return runs;
    }

    private sealed record GridPoint(ModelChoice Model, string Partition, CodecChoice Codec, long Seed, StrategyChoice? Strategy, string? Attack)
    {
        public string Id => StudyRunId.For(Model, Partition, Codec, Seed, Strategy, Attack);
    }

    /// <summary>The study.json the runner writes before it starts, for the report to read.</summary>
    public static StudyManifest Manifest(StudyConfig config) => new(
        config.Name,
        config.TargetAccuracy,
        config.Links.Mode,
        config.Links.Rule,
        [.. Expand(config).Select(run => new StudyManifestRun(
            run.Id, run.ReferenceId, run.Settings.Model, run.Settings.HeadPool, run.Settings.Partition, run.Settings.Codec, run.Settings.Seed)
        {
            DownlinkCodec = run.Settings.DownlinkCodec,
            Strategy = run.Settings.Strategy,
            ClipNorm = run.Settings.ClipNorm,
            Attack = run.Settings.Attack,
        })])
    {
        Checkpoints = config.Checkpoints,
    };

    private static StudyRun Run(StudyConfig config, GridPoint point, string referenceId)
    {
        var settings = config.Base with
        {
            FederationId = point.Id,
            Model = point.Model.Model,
            HeadPool = point.Model.HeadPool,
            Partition = point.Partition,
            Codec = point.Codec.Uplink,
            DownlinkCodec = point.Codec.Downlink ?? config.Base.DownlinkCodec,
            SecureAggregation = point.Codec.SecureSupport is not null,
            SecureSupport = point.Codec.SecureSupport ?? config.Base.SecureSupport,
            Seed = point.Seed,
            LinkMode = config.Links.Mode,
            Links = config.Links.Rule,
            Strategy = point.Strategy?.Strategy ?? config.Base.Strategy,
            ClipNorm = point.Strategy is null ? config.Base.ClipNorm : point.Strategy.ClipNorm,
            Attack = point.Attack,
        };
        return new StudyRun(point.Id, settings, config.DataDir, config.Links, referenceId);
    }
}
