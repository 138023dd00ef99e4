namespace PoolCompress.Reporting.Tests;

public sealed class RunFilesTests
{
    [Fact]
    public void A_diverged_round_with_non_finite_figures_is_still_written_and_read_back()
    {
        using var folder = new TempFolder();
        var round = RunFixtures.Round(1, 0.1, 1000, 1.0, 0) with { TestLoss = double.NaN, MeanTrainLoss = double.PositiveInfinity };
        var summary = new RunSummary(new(), new ModelSummary("cnn", null, 10, 0), [round], 0.1, 1000, 1000, 1.0, "synthetic", "none", 1.0, []);

        RunFiles.Write(folder.Path, summary);

        var read = RunFiles.Read(folder.Path);
        Assert.True(double.IsNaN(read.Rounds[0].TestLoss));
        Assert.Equal(double.PositiveInfinity, read.Rounds[0].MeanTrainLoss);
        Assert.Contains("NaN", File.ReadAllText(Path.Combine(folder.Path, RunFiles.RoundsFile)));
    }
}
