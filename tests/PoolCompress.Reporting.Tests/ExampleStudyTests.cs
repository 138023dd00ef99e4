using PoolCompress.Study;

namespace PoolCompress.Reporting.Tests;

/// <summary>The studies shipped in examples/ must stay loadable as the config schema evolves.</summary>
public sealed class ExampleStudyTests
{
    private static string Example(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "PoolCompress.sln"))) folder = folder.Parent;
        Assert.NotNull(folder);
        return Path.Combine(folder.FullName, "examples", name);
    }

    [Theory]
    [InlineData("quick-study.yaml", 4)]
    [InlineData("bandwidth-study.yaml", 20)]
    [InlineData("main-study.yaml", 6)]
    [InlineData("attack-study.yaml", 32)]
    public void An_example_study_loads_and_plans_its_runs(string file, int runs)
    {
        var config = StudyConfig.Load(Example(file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        Assert.Equal(runs, StudyPlan.Expand(config).Count);
    }

    [Fact]
    public void The_bandwidth_study_reports_its_runs_at_8_and_10_rounds_as_well_as_at_30()
    {
        var config = StudyConfig.Load(Example("bandwidth-study.yaml"));

        Assert.Equal(30, config.Base.Rounds);
        Assert.Equal([8, 10], config.Checkpoints);
    }
}
