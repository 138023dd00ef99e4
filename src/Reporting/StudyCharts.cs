using System.Globalization;
using PoolCompress.Contracts;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace PoolCompress.Reporting;

/// <summary>The report's figures, drawn with ScottPlot: every run in every chart, styled alike across charts.</summary>
internal static class StudyCharts
{
    private const int Width = 1200;
    private const int Height = 560;

    /// <summary>
    /// ScottPlot's default face is missing on many Linux hosts, where Skia would fall back to a serif; take the first
    /// common sans-serif family that is installed.
    /// </summary>
    private static readonly string FontName =
        new[] { "Segoe UI", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans" }
            .FirstOrDefault(SKFontManager.Default.FontFamilies.Contains) ?? Fonts.Sans;

    private enum Scale { Linear, Log, Counting }

    /// <summary>What one axis plots: a value per round of a run, how the axis is scaled, and the target on it if any.</summary>
    private sealed record Axis(string Label, Func<IReadOnlyList<RoundMetrics>, double[]> Values, Scale Scale = Scale.Linear, double? Target = null);

    public static IReadOnlyList<ReportChart> Render(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles)
    {
        string time = results.TimeIsModeled ? "modeled" : "wall";
        var accuracy = new Axis("accuracy (%)", rounds => [.. rounds.Select(r => RoundAccuracy.Of(r) * 100)], Target: results.TargetAccuracy * 100);
        var round = new Axis("round", rounds => [.. rounds.Select(r => (double)r.Round)], Scale.Counting);
        return
        [
            new ReportChart(
                "Accuracy vs cumulative uplink",
                "Further left at the same height means the same accuracy for fewer bytes sent; the x axis is logarithmic, so each labelled step is 10\u00d7 the traffic.",
                Lines(results, styles, new Axis("cumulative uplink (MB, log scale)", Cumulative(r => Megabytes.Of(r.UplinkBytes)), Scale.Log), accuracy)),
            new ReportChart(
                "Accuracy vs round",
                "How fast each run learns per round, bandwidth aside; a run below the dense one pays for its savings in accuracy.",
                Lines(results, styles, round, accuracy)),
            new ReportChart(
                $"Accuracy vs {time} time",
                results.TimeIsModeled
                    ? "Time over the emulated links, each round as long as its slowest client; the first line to cross the target reaches it soonest."
                    : "Wall time of the runs as they ran; the first line to cross the target reaches it soonest.",
                Lines(results, styles,
                    new Axis($"cumulative {time} time (s)", Cumulative(r => results.TimeIsModeled ? r.ModeledSeconds : r.WallSeconds)), accuracy)),
            new ReportChart(
                "Uplink bytes per round",
                "What the clients sent each round, summed over participants; the distance below the dense line is the saving, on a log scale.",
                Lines(results, styles, round, new Axis("uplink per round (MB, log scale)", rounds => [.. rounds.Select(r => Megabytes.Of(r.UplinkBytes))], Scale.Log))),
            .. RuleCharts(results, styles, round, accuracy),
        ];
    }

    /// <summary>
    /// In a study of strategies or attacks, accuracy per round for each attack on each split: one line per strategy,
    /// so each chart shows which rule holds up against that attack.
    /// </summary>
    private static IEnumerable<ReportChart> RuleCharts(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles, Axis round, Axis accuracy)
    {
        var runs = results.Runs.Select(r => r.Run).ToList();
        if (runs.Select(RunStyles.DefenceName).Distinct().Count() < 2 && runs.Select(RunStyles.AttackName).Distinct().Count() < 2) yield break;
        foreach (var group in results.Runs.GroupBy(r => (r.Run.Partition, Attack: RunStyles.AttackName(r.Run))))
            yield return new ReportChart(
                $"Accuracy vs round: {group.Key.Attack}, {group.Key.Partition}",
                "One line per strategy under the same attack and split; a robust rule stays near the honest FedAvg run.",
                Lines([.. group], styles, round, accuracy));
    }

    private static Func<IReadOnlyList<RoundMetrics>, double[]> Cumulative(Func<RoundMetrics, double> perRound) => rounds =>
    {
        double total = 0;
        return [.. rounds.Select(r => total += perRound(r))];
    };

    private static byte[] Lines(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles, Axis x, Axis y) =>
        Lines(results.Runs, styles, x, y);

    private static byte[] Lines(IReadOnlyList<StudyRunResult> runs, IReadOnlyDictionary<string, RunStyle> styles, Axis x, Axis y)
    {
        var plot = NewPlot(x, y);
        // The best run is drawn last so that no other line hides it.
        foreach (var result in runs.OrderBy(r => styles[r.Run.Id].IsBest))
        {
            var style = styles[result.Run.Id];
            var points = x.Values(result.Summary.Rounds).Zip(y.Values(result.Summary.Rounds))
                .Where(p => (x.Scale != Scale.Log || p.First > 0) && (y.Scale != Scale.Log || p.Second > 0))
                .ToArray();
            double[] xs = [.. points.Select(p => Plotted(x, p.First))], ys = [.. points.Select(p => Plotted(y, p.Second))];
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = style.LegendText;
            line.Color = style.Color;
            line.LineWidth = style.LineWidth;
            line.LinePattern = style.Pattern;
            line.MarkerSize = style.MarkerSize;
        }
        if (y.Target is { } target)
        {
            var line = plot.Add.HorizontalLine(target);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"target {target:0.#}%");
        }
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>ScottPlot has no log axis: log-scaled values are plotted as log10 and labelled back by <see cref="Ticks"/>.</summary>
    private static double Plotted(Axis axis, double value) => axis.Scale == Scale.Log ? Math.Log10(value) : value;

    private static Plot NewPlot(Axis x, Axis y)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.XLabel(x.Label, 16);
        plot.YLabel(y.Label, 16);
        plot.Axes.Bottom.TickGenerator = Ticks(x.Scale);
        plot.Axes.Left.TickGenerator = Ticks(y.Scale);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Color.FromHex("#fbfbfd");
        plot.Grid.MajorLineColor = Color.FromHex("#e4e6eb");
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 13;
        plot.Legend.ShadowColor = Colors.Transparent;
        plot.Legend.OutlineColor = Color.FromHex("#d0d4db");
        return plot;
    }

    private static NumericAutomatic Ticks(Scale scale) => scale switch
    {
        // One major tick per power of ten, labelled with the value itself rather than its exponent.
        Scale.Log => new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => Math.Pow(10, exponent).ToString("0.####", CultureInfo.InvariantCulture),
        },
        Scale.Counting => new NumericAutomatic { IntegerTicksOnly = true },
        _ => new NumericAutomatic(),
    };
}
