using System.Text.RegularExpressions;
using PoolCompress.Contracts;
using PoolCompress.Learning;
using PoolCompress.Reporting;
using PoolCompress.Study;

namespace PoolCompress.Reporting.Tests;

public sealed partial class StudyPlanTests
{
    private static StudyConfig Config(IReadOnlyList<CodecChoice> codecs, IReadOnlyList<ModelChoice> models, IReadOnlyList<string> partitions, IReadOnlyList<long> seeds) =>
        new("plan", new FederationSettings { Clients = 5, Rounds = 2 }, "/data/digits",
            new StudyGrid(codecs, models, partitions, seeds), new StudyLinks(LinkMode.Modeled, "up=1mbit"), 0.9, 1);

    private static readonly StudyConfig Full = Config(
        [new("none"), new("topk:0.01>q:4")], [new("cnn", null), new("cnn", "avg:2")], ["iid", "dirichlet:0.3"], [1, 2]);

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex FileSystemSafe();

    [Fact]
    public void The_grid_is_every_model_and_codec_per_partition_and_seed_in_a_fixed_order()
    {
        var ids = StudyPlan.Expand(Full).Select(r => r.Id).ToList();

        // Per partition and seed: the dense reference, cnn with topk, and the pooled head with each codec.
        Assert.Equal(2 * 2 * 4, ids.Count);
        Assert.Equal(
        [
            "cnn__iid__none__s1", "cnn__iid__topk0.01-q4__s1", "cnn-avg2__iid__none__s1", "cnn-avg2__iid__topk0.01-q4__s1",
            "cnn__iid__none__s2", "cnn__iid__topk0.01-q4__s2", "cnn-avg2__iid__none__s2", "cnn-avg2__iid__topk0.01-q4__s2",
        ], ids.Take(8));
        Assert.Equal("cnn-avg2__dirichlet0.3__topk0.01-q4__s2", ids[^1]);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches(FileSystemSafe(), id));
        Assert.Equal(ids, StudyPlan.Expand(Full).Select(r => r.Id));
    }

    [Fact]
    public void Every_run_points_at_the_dense_run_of_its_model_partition_and_seed()
    {
        var runs = StudyPlan.Expand(Full);
        var byId = runs.ToDictionary(r => r.Id);

        Assert.All(runs, run =>
        {
            var reference = byId[run.ReferenceId].Settings;
            Assert.Equal(("none", null, run.Settings.Model, run.Settings.Partition, run.Settings.Seed),
                (reference.Codec, reference.HeadPool, reference.Model, reference.Partition, reference.Seed));
        });
        Assert.Equal(4, runs.Count(r => r.IsReference));
        Assert.All(runs.Where(r => r.Settings is { Codec: "none", HeadPool: null }), r => Assert.Equal(r.Id, r.ReferenceId));
    }

    [Fact]
    public void Dense_references_are_planned_even_when_the_grid_lists_neither_none_nor_the_plain_head()
    {
        var runs = StudyPlan.Expand(Config([new("q:8")], [new("cnn", "max:3")], ["iid"], [7]));

        Assert.Equal(["cnn__iid__none__s7", "cnn-max3__iid__q8__s7"], runs.Select(r => r.Id));
        Assert.All(runs, r => Assert.Equal("cnn__iid__none__s7", r.ReferenceId));
    }

    [Fact]
    public void A_codec_entry_with_a_downlink_codec_sets_it_for_its_runs_only()
    {
        var config = Config([new("none"), new("topk:0.01>ternary", "topk:0.1>q:8")], [new("cnn", null)], ["iid"], [1]);
        var runs = StudyPlan.Expand(config with { Base = config.Base with { DownlinkCodec = "fp16" } });

        Assert.Equal(["cnn__iid__none__s1", "cnn__iid__topk0.01-ternary__down-topk0.1-q8__s1"], runs.Select(r => r.Id));
        Assert.Equal(("none", "fp16"), (runs[0].Settings.Codec, runs[0].Settings.DownlinkCodec));
        Assert.Equal(("topk:0.01>ternary", "topk:0.1>q:8"), (runs[1].Settings.Codec, runs[1].Settings.DownlinkCodec));
        Assert.Equal(["fp16", "topk:0.1>q:8"], StudyPlan.Manifest(config with { Base = config.Base with { DownlinkCodec = "fp16" } }).Runs.Select(r => r.DownlinkCodec));
    }

    [Fact]
    public void A_codec_entry_with_a_secure_support_makes_a_secure_run_against_the_plain_dense_reference()
    {
        var runs = StudyPlan.Expand(Config([new("none", SecureSupport: 0.02)], [new("cnn", null)], ["iid"], [1]));

        Assert.Equal(["cnn__iid__none__s1", "cnn__iid__none__secure0.02__s1"], runs.Select(r => r.Id));
        Assert.False(runs[0].Settings.SecureAggregation);
        Assert.Equal((true, 0.02), (runs[1].Settings.SecureAggregation, runs[1].Settings.SecureSupport));
        Assert.Equal("cnn__iid__none__s1", runs[1].ReferenceId);
    }

    [Fact]
    public void Each_run_carries_the_base_options_its_grid_point_and_the_study_links()
    {
        var run = StudyPlan.Expand(Full).Single(r => r.Id == "cnn-avg2__dirichlet0.3__topk0.01-q4__s2");

        Assert.Equal((5, 2, "cnn", "avg:2", "dirichlet:0.3", "topk:0.01>q:4", 2L, run.Id),
            (run.Settings.Clients, run.Settings.Rounds, run.Settings.Model, run.Settings.HeadPool, run.Settings.Partition,
             run.Settings.Codec, run.Settings.Seed, run.Settings.FederationId));
        Assert.Equal("/data/digits", run.DataDir);
        Assert.Equal(new StudyLinks(LinkMode.Modeled, "up=1mbit"), run.Links);
        Assert.Equal(5, Full.Base.Clients);
        Assert.Equal("default", Full.Base.FederationId);
    }

    [Fact]
    public void The_manifest_lists_the_plan_for_the_report()
    {
        var manifest = StudyPlan.Manifest(Full);

        Assert.Equal(("plan", 0.9, LinkMode.Modeled, "up=1mbit"), (manifest.Name, manifest.TargetAccuracy, manifest.LinkMode, manifest.LinkRule));
        Assert.Equal(StudyPlan.Expand(Full).Select(r => (r.Id, r.ReferenceId)), manifest.Runs.Select(r => (r.Id, r.ReferenceId)));
        Assert.Equal(new StudyManifestRun("cnn-avg2__iid__topk0.01-q4__s1", "cnn__iid__none__s1", "cnn", "avg:2", "iid", "topk:0.01>q:4", 1),
            manifest.Runs[3]);
    }

    [Fact]
    public void Strategies_and_attacks_cross_the_grid_with_an_honest_reference_on_the_first_strategy()
    {
        var config = Config([new("none")], [new("cnn", null)], ["iid"], [1]) with
        {
            Grid = new StudyGrid([new("none")], [new("cnn", null)], ["iid"], [1],
                [new("fedavg"), new("fedavg", ClipNorm: 2), new("median")], ["none", "signflip:scale=10@0,1"]),
        };

        var runs = StudyPlan.Expand(config);

        Assert.Equal(
        [
            "cnn__iid__none__s1__fedavg", "cnn__iid__none__s1__fedavg__atk-signflipscale-10-0-1",
            "cnn__iid__none__s1__fedavg-clip2", "cnn__iid__none__s1__fedavg-clip2__atk-signflipscale-10-0-1",
            "cnn__iid__none__s1__median", "cnn__iid__none__s1__median__atk-signflipscale-10-0-1",
        ], runs.Select(r => r.Id));
        Assert.All(runs, r => Assert.Equal("cnn__iid__none__s1__fedavg", r.ReferenceId));
        var clippedAttack = runs[3].Settings;
        Assert.Equal(("fedavg", 2.0, "signflip:scale=10@0,1"), (clippedAttack.Strategy, clippedAttack.ClipNorm, clippedAttack.Attack));
        Assert.Equal(("median", null, null), (runs[4].Settings.Strategy, runs[4].Settings.ClipNorm, runs[4].Settings.Attack));
        var manifest = StudyPlan.Manifest(config).Runs[3];
        Assert.Equal(("fedavg", 2.0, "signflip:scale=10@0,1"), (manifest.Strategy, manifest.ClipNorm, manifest.Attack));
    }
}
