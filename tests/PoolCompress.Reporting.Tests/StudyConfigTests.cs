using PoolCompress.Contracts;
using PoolCompress.Learning;
using PoolCompress.Onnx;
using PoolCompress.Reporting;
using PoolCompress.Study;

namespace PoolCompress.Reporting.Tests;

public sealed class StudyConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string GoodYaml = """
        name: quick-study
        base:
          clients: 4
          rounds: 3
          fraction: 0.5
          local-epochs: 2
          batch-size: 16
          lr: 0.1
          dataset: mnist
          data-dir: digits
          round-timeout: 30
        grid:
          codecs: ["none", "topk:0.01 > q:4"]
          models: ["cnn", "cnn+avg:2"]
          partitions: ["iid", "dirichlet:0.3"]
          seeds: [1, 2]
        links:
          mode: modeled
          assign: "up=1mbit,down=10mbit,rtt=50ms"
        target-accuracy: 0.97
        parallel: 2
        """;

    private const string GoodJson = """
        {
          "name": "quick-study",
          "base": { "clients": 4, "rounds": 3, "fraction": 0.5, "local-epochs": 2, "batch-size": 16, "lr": 0.1,
                    "dataset": "mnist", "data-dir": "digits", "round-timeout": 30 },
          "grid": {
            "codecs": ["none", "topk:0.01 > q:4"],
            "models": ["cnn", "cnn+avg:2"],
            "partitions": ["iid", "dirichlet:0.3"],
            "seeds": [1, 2]
          },
          "links": { "mode": "modeled", "assign": "up=1mbit,down=10mbit,rtt=50ms" },
          "target-accuracy": 0.97,
          "parallel": 2
        }
        """;

    [Theory]
    [InlineData("study.yaml", GoodYaml)]
    [InlineData("study.json", GoodJson)]
    public void A_good_config_loads_with_its_values_and_canonical_grid(string fileName, string text)
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "digits"));

        var config = StudyConfig.Load(_folder.File(fileName, text));

        Assert.Equal("quick-study", config.Name);
        Assert.Equal((4, 3, 0.5, 2, 16, 0.1, "mnist"), (config.Base.Clients, config.Base.Rounds, config.Base.Fraction,
            config.Base.LocalEpochs, config.Base.BatchSize, config.Base.LearningRate, config.Base.Dataset));
        Assert.Equal(TimeSpan.FromSeconds(30), config.Base.RoundTimeout);
        Assert.Equal(2, config.Base.MinClients);
        Assert.Equal(Path.Combine(_folder.Path, "digits"), config.DataDir);
        Assert.Equal([new CodecChoice("none"), new CodecChoice("topk:0.01>q:4")], config.Grid.Codecs);
        Assert.Equal([new ModelChoice("cnn", null), new ModelChoice("cnn", "avg:2")], config.Grid.Models);
        Assert.Equal(["iid", "dirichlet:0.3"], config.Grid.Partitions);
        Assert.Equal([1L, 2L], config.Grid.Seeds);
        Assert.Equal(new StudyLinks(LinkMode.Modeled, "up=1mbit,down=10mbit,rtt=50ms"), config.Links);
        Assert.Equal(0.97, config.TargetAccuracy);
        Assert.Equal(2, config.Parallel);
    }

    [Fact]
    public void A_deployment_section_lists_the_exports_to_make_of_every_runs_final_model()
    {
        string path = _folder.File("deployment.yaml", """
            grid:
              codecs: ["none"]
            deployment:
              - {name: float}
              - {name: combined, prune-channels: 0.25, prune: 0.5, quantize: INT8}
            """);

        var config = StudyConfig.Load(path);

        Assert.Equal(
            [new DeploymentExport("float", PruningSettings.None, WeightPrecision.Float32), new DeploymentExport("combined", new PruningSettings(0.25, 0.5), WeightPrecision.Int8)],
            config.Deployment);
        Assert.Empty(StudyConfig.Load(_folder.File("none.yaml", "grid:\n  codecs: [\"none\"]\n")).Deployment);
    }

    [Fact]
    public void Bad_deployment_entries_are_each_named_before_anything_runs()
    {
        string path = _folder.File("bad-deployment.yaml", """
            grid:
              codecs: ["none"]
            deployment:
              - {name: int8, quantize: int4}
              - {name: int8}
              - {name: "../up", prune: 0.5}
              - {name: pruned, prune-channels: 1}
              - {name: sparse, prune: x}
              - {name: odd, size: 3}
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal(
        [
            "line 4: deployment 'int8': deployment.quantize 'int4' is unknown; allowed: int8, float32",
            "line 5: deployment name 'int8' is listed twice",
            "line 6: deployment entry needs a 'name' of letters, digits, '-' and '_' (its folder), e.g. {name: int8, quantize: int8}",
            "line 7: deployment 'pruned': a pruning channel fraction is a fraction from 0 up to but not including 1, not 1",
            "line 8: deployment.prune must be a number, got 'x'",
            "line 9: unknown key 'deployment.size'; allowed: name, quantize, prune, prune-channels",
        ], error.Problems);
    }

    [Fact]
    public void Checkpoints_are_rounds_before_the_last_and_reach_the_manifest()
    {
        string path = _folder.File("checkpoints.yaml", """
            base:
              rounds: 30
            grid:
              codecs: ["none"]
            checkpoints: [8, 10]
            """);

        var config = StudyConfig.Load(path);

        Assert.Equal([8, 10], config.Checkpoints);
        Assert.Equal([8, 10], StudyPlan.Manifest(config).Checkpoints);
        Assert.Empty(StudyConfig.Load(_folder.File("none.yaml", "grid:\n  codecs: [\"none\"]\n")).Checkpoints);
    }

    [Fact]
    public void A_teacher_is_found_beside_the_study_file_and_its_distillation_settings_are_read()
    {
        string teacher = Path.Combine(Directory.CreateDirectory(Path.Combine(_folder.Path, "models")).FullName, "teacher");
        using (var model = ModelFactory.Create("mlp", null, seed: 1))
            ModelExport.Write(model, new ExportInfo("mlp", null, [1, 28, 28], Dataset.DigitClasses, Rounds: 1, new Dictionary<string, double>()), teacher);
        string path = _folder.File("distil.yaml", """
            base:
              teacher: models/teacher
              teacher-model: mlp
              distill-temperature: 4
              distill-alpha: 0.7
            grid:
              codecs: ["none"]
            """);

        var settings = StudyConfig.Load(path).Base;

        Assert.Equal(teacher, settings.Teacher);
        Assert.Equal(("mlp", 4.0, 0.7), (settings.TeacherModel, settings.DistillTemperature, settings.DistillAlpha));
    }

    [Fact]
    public void Pruning_during_training_is_read_from_the_base_and_a_sparsity_of_one_is_refused()
    {
        var settings = StudyConfig.Load(_folder.File("prune.yaml", "base:\n  prune-during-training: 0.9\n  prune-rounds: 12\ngrid:\n  codecs: [\"none\"]\n")).Base;

        Assert.Equal((0.9, 12), (settings.PruneDuringTraining, settings.PruneRounds));
        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(_folder.File("all.yaml", "base:\n  prune-during-training: 1\ngrid:\n  codecs: [\"none\"]\n")));
        Assert.Contains("prune-during-training", error.Message);
    }

    [Fact]
    public void Each_bad_checkpoint_is_one_problem_with_its_line()
    {
        string path = _folder.File("bad-checkpoints.yaml", """
            base:
              rounds: 10
            grid:
              codecs: ["none"]
            checkpoints: [0, 4, 3, 4, 10, 12, x]
            """);
        string misspelt = _folder.File("checkpoint.yaml", """
            grid:
              codecs: ["none"]
            checkpoint: [2]
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));
        var unknown = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(misspelt));

        Assert.Equal(
        [
            "line 5: checkpoints must list whole numbers, got 'x'",
            "line 5: checkpoints must be rounds of 1 or more, got 0",
            "line 5: checkpoints must be ascending without repeats, got 3 after 4",
            "line 5: checkpoints must be ascending without repeats, got 4 after 4",
            "line 5: checkpoints must be below base.rounds (10), got 10; the last round is always reported",
            "line 5: checkpoints must be below base.rounds (10), got 12; the last round is always reported",
        ], error.Problems);
        Assert.Equal(["line 3: unknown key 'checkpoint'; allowed: name, base, grid, links, target-accuracy, parallel, checkpoints, deployment"], unknown.Problems);
    }

    [Fact]
    public void A_bad_config_names_every_problem_once_and_all_together()
    {
        string path = _folder.File("bad.yaml", """
            base:
              clients: -3
              data-dir: no-such-folder
              colour: blue
            grid:
              codecs: ["none", "zstd:9", "topk:0.01"]
              seeds: [1, 2]
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Collection(error.Problems,
            unknownKey => Assert.Equal(
                "line 4: unknown key 'base.colour'; allowed: clients, rounds, fraction, min-clients, local-epochs, batch-size, lr, dataset, data-dir, round-timeout, downlink-codec, strategy, secure-aggregation, secure-support, secure-levels, secure-scale, secure-follow, teacher, teacher-model, distill-temperature, distill-alpha, prune-during-training, prune-rounds, client-models, transfer-data, transfer-samples, model-assembly, plugin-assemblies",
                unknownKey),
            clients => Assert.Equal("line 2: base.clients must be at least 1, got -3", clients),
            dataDir => Assert.Equal($"line 3: base.data-dir: folder '{Path.Combine(_folder.Path, "no-such-folder")}' does not exist", dataDir),
            codec => Assert.StartsWith("codec 'zstd:9': stage 1 'zstd:9': unknown stage 'zstd'", codec));
    }

    [Fact]
    public void A_missing_model_assembly_is_reported_with_its_path_resolved_from_the_study_file()
    {
        string path = _folder.File("plugin.yaml", """
            base:
              model-assembly: plugins/absent.dll
            grid:
              models: ["lenet5"]
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal($"line 2: base.model-assembly: model assembly '{Path.Combine(_folder.Path, "plugins", "absent.dll")}' does not exist", error.Problems[0]);
        Assert.Contains(error.Problems, p => p.Contains("model 'lenet5' is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_plugin_assembly_is_reported_with_its_path_resolved_from_the_study_file_and_its_stage_stays_unknown()
    {
        string path = _folder.File("plugins.yaml", """
            base:
              plugin-assemblies: [plugins/absent.dll]
            grid:
              codecs: ["scaledsign"]
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal($"line 2: base.plugin-assemblies: plug-in assembly '{Path.Combine(_folder.Path, "plugins", "absent.dll")}' does not exist", error.Problems[0]);
        Assert.Contains(error.Problems, p => p.Contains("unknown stage 'scaledsign'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_study_runs_every_federation_with_its_base_strategy_and_a_bad_one_is_reported()
    {
        string good = _folder.File("fedadam.yaml", """
            base:
              strategy: "fedadam:lr=0.01,tau=1e-3"
            grid:
              codecs: ["none", "topk:0.01"]
            """);
        string bad = _folder.File("bad-strategy.yaml", """
            base:
              strategy: "fedadam:eta=0.1"
            grid:
              codecs: ["none"]
            """);

        Assert.All(StudyPlan.Expand(StudyConfig.Load(good)), run => Assert.Equal("fedadam:lr=0.01,tau=1e-3", run.Settings.Strategy));
        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(bad));
        Assert.Contains(error.Problems, p => p.Contains("strategy 'fedadam:eta=0.1': unknown parameter 'eta'", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_value_types_and_top_level_problems_are_reported_with_their_lines()
    {
        string path = _folder.File("types.yaml", """
            base:
              rounds: many
            grid:
              codecs: []
              seeds: [1, x]
            links:
              mode: carrier-pigeon
            target-accuracy: 97
            parallel: 0
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal(
        [
            "line 2: base.rounds must be a whole number, got 'many'",
            "line 8: target-accuracy must be a fraction in (0, 1], e.g. 0.97, got 97",
            "line 9: parallel must be at least 1, got 0",
            "grid.codecs must list at least one codec, e.g. codecs: [\"none\", \"topk:0.01>q:4\"]",
            "line 5: grid.seeds must list whole numbers, got 'x'",
            "line 7: links.mode 'carrier-pigeon' is unknown; allowed: off, modeled, real",
        ], error.Problems);
    }

    [Fact]
    public void Bad_models_partitions_and_duplicates_come_from_the_federation_parsers()
    {
        string path = _folder.File("grid.yaml", """
            grid:
              codecs: ["topk:0.01>q:4", "topk:0.01 > q:4"]
              models: ["cnn+avg:9", "resnet"]
              partitions: ["dirichlet:-1"]
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal(4, error.Problems.Count);
        Assert.Equal("grid.codecs lists 'topk:0.01>q:4' more than once", error.Problems[0]);
        Assert.Contains(error.Problems, p => p.StartsWith("partition 'dirichlet:-1' is invalid", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("head pool 'avg:9' is invalid", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("model 'resnet' is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void A_codec_entry_may_name_its_downlink_codec()
    {
        var config = StudyConfig.Load(_folder.File("down.yaml", """
            grid:
              codecs: ["none", {up: "topk:0.008:global > ternary", down: "topk:0.1:global>q:8"}]
            """));

        Assert.Equal([new CodecChoice("none"), new CodecChoice("topk:0.008:global>ternary", "topk:0.1:global>q:8")], config.Grid.Codecs);
    }

    [Fact]
    public void Bad_codec_entries_are_reported_with_their_line()
    {
        string path = _folder.File("bad-codecs.yaml", """
            grid:
              codecs:
                - {down: "q:8"}
                - {up: "q:8", sideways: "q:4"}
                - [q:8]
                - {up: "q:8", down: "zip"}
            """);

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal(
        [
            "line 3: grid.codecs entry needs 'up', e.g. {up: \"topk:0.01>q:4\", down: \"topk:0.1>q:8\"}",
            "line 4: unknown key 'grid.codecs.sideways'; allowed: up, down, secure-support",
            "line 5: grid.codecs entries are codec specs or {up: SPEC, down: SPEC} mappings",
        ], error.Problems.Take(3));
        Assert.Contains(error.Problems, p => p.StartsWith("codec 'zip': stage 1 'zip': unknown stage 'zip'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_config_file_is_one_problem()
    {
        string path = Path.Combine(_folder.Path, "absent.yaml");

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.Equal([$"config file '{path}' does not exist"], error.Problems);
    }

    [Fact]
    public void Malformed_yaml_is_one_problem_with_its_position()
    {
        string path = _folder.File("broken.yaml", "grid:\n  codecs: [\"none\"\n");

        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(path));

        Assert.StartsWith("line ", Assert.Single(error.Problems));
        Assert.Contains("not valid YAML or JSON", error.Problems[0]);
    }

    [Fact]
    public void A_link_file_is_found_relative_to_the_config_folder()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "links"));
        _folder.File("links/clients.csv", "client_index,profile\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"{i},lte\n")));
        string good = _folder.File("good.yaml", "grid: { codecs: [none] }\nlinks: { mode: real, assign: \"file:links/clients.csv\" }\n");
        string bad = _folder.File("bad.yaml", "grid: { codecs: [none] }\nlinks: { mode: modeled, assign: \"file:links/missing.csv\" }\n");

        Assert.Equal(new StudyLinks(LinkMode.Real, "file:" + Path.Combine(_folder.Path, "links", "clients.csv")), StudyConfig.Load(good).Links);
        var error = Assert.Throws<StudyConfigException>(() => StudyConfig.Load(bad));
        Assert.Equal([$"line 2: links.assign: link file '{Path.Combine(_folder.Path, "links", "missing.csv")}' does not exist"], error.Problems);
    }

    [Fact]
    public void Omitted_dimensions_take_the_federation_defaults_and_min_clients_fits_few_clients()
    {
        var config = StudyConfig.Load(_folder.File("minimal.yaml", "base: { clients: 1 }\ngrid: { codecs: [\"q:8\"] }\n"));

        Assert.Equal("minimal", config.Name);
        Assert.Equal(1, config.Base.MinClients);
        Assert.Equal([new ModelChoice("cnn", null)], config.Grid.Models);
        Assert.Equal(["iid"], config.Grid.Partitions);
        Assert.Equal([42L], config.Grid.Seeds);
        Assert.Equal(StudyLinks.Off, config.Links);
        Assert.Null(config.TargetAccuracy);
    }
}
