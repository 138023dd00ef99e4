using PoolCompress.Coordinator.Federation;

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

    [Fact]
    public void Epsilon_is_a_rounds_csv_column_and_a_summary_field_left_empty_without_differential_privacy()
    {
        using var folder = new TempFolder();
        RoundMetrics[] rounds = [RunFixtures.Round(1, 0.5, 1000, 1.0, 0) with { DpEpsilon = 0.25 }, RunFixtures.Round(2, 0.6, 1000, 1.0, 0)];
        var summary = new RunSummary(new(), new ModelSummary("cnn", null, 10, 0), rounds, 0.6, 2000, 2000, 2.0, "synthetic", "none", 1.0, []);

        RunFiles.Write(folder.Path, summary);

        string[] lines = File.ReadAllLines(Path.Combine(folder.Path, RunFiles.RoundsFile));
        int column = Array.IndexOf(lines[0].Split(','), "dp_epsilon");
        Assert.Equal("0.25", lines[1].Split(',')[column]);
        Assert.Equal("", lines[2].Split(',')[column]);
        Assert.Contains("\"dp_epsilon\": 0.25", File.ReadAllText(Path.Combine(folder.Path, RunFiles.SummaryFile)));
        Assert.Equal(0.25, RunFiles.Read(folder.Path).Rounds[0].DpEpsilon);
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
