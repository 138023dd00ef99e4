using PoolCompress.Compression;
using PoolCompress.Reporting;

namespace PoolCompress.Study;

/// <summary>Expands a study's grid into the runs to execute, dense references included.</summary>
public static class StudyPlan
{
    /// <summary>
    /// Grouped by partition, model and seed; each group starts with its dense reference (codec none, plain head),
    /// which is planned even when the grid lists neither, so that every run has something to be compared with.
    /// Then the group's model entries crossed with the codecs, in the config's order.
    /// </summary>
    public static IReadOnlyList<StudyRun> Expand(StudyConfig config)
    {
        var grid = config.Grid;
        var dense = new CodecChoice(CodecSpec.None.Text);
        var runs = new List<StudyRun>();
        foreach (string partition in grid.Partitions)
        foreach (string model in grid.Models.Select(m => m.Model).Distinct())
        foreach (long seed in grid.Seeds)
        {
            var reference = new ModelChoice(model, null);
            string referenceId = StudyRunId.For(reference, partition, dense, seed);
            runs.Add(Run(config, reference, partition, dense, seed, referenceId));
            foreach (var choice in grid.Models.Where(m => m.Model == model))
            foreach (var codec in grid.Codecs.Where(codec => choice != reference || codec != dense))
                runs.Add(Run(config, choice, partition, codec, seed, referenceId));
        }
        return runs;
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
        })]);

    private static StudyRun Run(StudyConfig config, ModelChoice model, string partition, CodecChoice codec, long seed, string referenceId)
    {
        string id = StudyRunId.For(model, partition, codec, seed);
        var settings = config.Base with
        {
            FederationId = id,
            Model = model.Model,
            HeadPool = model.HeadPool,
            Partition = partition,
            Codec = codec.Uplink,
            DownlinkCodec = codec.Downlink ?? config.Base.DownlinkCodec,
            Seed = seed,
            LinkMode = config.Links.Mode,
            Links = config.Links.Rule,
        };
        return new StudyRun(id, settings, config.DataDir, config.Links, referenceId);
    }
}
