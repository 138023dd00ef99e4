using PoolCompress.Contracts;

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

    [Theory]
    [InlineData("dp_epsilon")]
    [InlineData("clip_bound")]
    public void Epsilon_and_the_clip_bound_are_rounds_csv_columns_and_summary_fields_left_empty_without_them(string field)
    {
        using var folder = new TempFolder();
        var first = RunFixtures.Round(1, 0.5, 1000, 1.0, 0);
        first = field == "dp_epsilon" ? first with { DpEpsilon = 0.25 } : first with { ClipBound = 0.25 };
        RoundMetrics[] rounds = [first, RunFixtures.Round(2, 0.6, 1000, 1.0, 0)];
        var summary = new RunSummary(new(), new ModelSummary("cnn", null, 10, 0), rounds, 0.6, 2000, 2000, 2.0, "synthetic", "none", 1.0, []);

        RunFiles.Write(folder.Path, summary);

        string[] lines = File.ReadAllLines(Path.Combine(folder.Path, RunFiles.RoundsFile));
        int column = Array.IndexOf(lines[0].Split(','), field);
        Assert.Equal("0.25", lines[1].Split(',')[column]);
        Assert.Equal("", lines[2].Split(',')[column]);
        Assert.Contains($"\"{field}\": 0.25", File.ReadAllText(Path.Combine(folder.Path, RunFiles.SummaryFile)));
        var read = RunFiles.Read(folder.Path).Rounds[0];
        Assert.Equal(0.25, field == "dp_epsilon" ? read.DpEpsilon : read.ClipBound);
    }

    [Fact]
    public void Federated_evaluation_is_written_per_round_and_per_client_and_read_back()
    {
        using var folder = new TempFolder();
        var site = new ClientEvaluation("site-a", 30, 0.4, 0.8, 0.7, [0.9, 0.6], [20, 10], 0.9);
        var evaluated = RunFixtures.Round(1, double.NaN, 1000, 1.0, 0) with
        {
            FederatedEval = new FederatedEvaluation(30, 1, 0.4, 0.8, 0.7, [0.9, 0.6], 0.9, [site]),
        };
        var notEvaluated = RunFixtures.Round(2, double.NaN, 1000, 1.0, 0);
        var summary = new RunSummary(new(), new ModelSummary("cnn", null, 10, 0), [evaluated, notEvaluated], double.NaN, 2000, 2000, 2.0, "none", "none", 1.0, []);

        RunFiles.Write(folder.Path, summary);

        var read = RunFiles.Read(folder.Path);
        var back = Assert.Single(read.Rounds[0].FederatedEval!.PerClient);
        Assert.Equal((site.ClientId, site.Examples, site.Loss, site.Accuracy, site.MacroF1, site.Auc),
            (back.ClientId, back.Examples, back.Loss, back.Accuracy, back.MacroF1, back.Auc));
        Assert.Equal(site.PerClassRecall, back.PerClassRecall);
        Assert.Equal(site.ClassCounts, back.ClassCounts);
        Assert.Null(read.Rounds[1].FederatedEval);
        Assert.Contains("\"federated_eval\"", File.ReadAllText(Path.Combine(folder.Path, RunFiles.SummaryFile)));
        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, RunFiles.RoundsFile));
        string[] columns = csv[0].Split(',');
        string Cell(int row, string column) => csv[row].Split(',')[Array.IndexOf(columns, column)];
        Assert.Equal("0.8", Cell(1, "federated_accuracy"));
        Assert.Equal("30", Cell(1, "federated_examples"));
        Assert.Equal("", Cell(2, "federated_accuracy"));
        Assert.Equal("", Cell(2, "test_auc"));
    }
}
