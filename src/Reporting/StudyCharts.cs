using System.Globalization;
using PoolCompress.Coordinator.Federation;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace PoolCompress.Reporting;

/// <summary>The report's figures, drawn with ScottPlot: every run in every chart, styled alike across charts.</summary>
internal static class StudyCharts
{
    private const int Width = 1200;
    private const int Height = 560;

    public static IReadOnlyList<ReportChart> Render(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles)
    {
        double? targetPercent = results.TargetAccuracy * 100;
        string time = results.TimeIsModeled ? "modeled" : "wall";
        return
        [
            new ReportChart(
                "Accuracy vs cumulative uplink",
                "Further left at the same height means the same accuracy for fewer bytes sent; the x axis is logarithmic, so each grid step is 10x the traffic.",
                Lines(results, styles, Cumulative(r => Megabytes.Of(r.UplinkBytes)), Accuracy,
                    "cumulative uplink (MB, log scale)", "test accuracy (%)", logX: true, logY: false, targetPercent)),
            new ReportChart(
                "Accuracy vs round",
                "How fast each run learns per round, bandwidth aside; a compressed run below the dense one pays for its savings in accuracy.",
                Lines(results, styles, rounds => [.. rounds.Select(r => (double)r.Round)], Accuracy,
                    "round", "test accuracy (%)", logX: false, logY: false, targetPercent)),
            new ReportChart(
                $"Accuracy vs {time} time",
                results.TimeIsModeled
                    ? "Time over the emulated links (each round as long as its slowest client's transfer); the first line to cross the target reaches it soonest."
                    : "Wall time of the runs as they ran (no link was emulated); the first line to cross the target reaches it soonest.",
                Lines(results, styles, Cumulative(r => results.TimeIsModeled ? r.ModeledSeconds : r.WallSeconds), Accuracy,
                    $"cumulative {time} time (s)", "test accuracy (%)", logX: false, logY: false, targetPercent)),
            new ReportChart(
                "Uplink bytes per round",
                "What the clients sent each round, summed over participants; the gap to the dense line is the compression, on a log scale.",
                Lines(results, styles, rounds => [.. rounds.Select(r => (double)r.Round)], rounds => [.. rounds.Select(r => Megabytes.Of(r.UplinkBytes))],
                    "round", "uplink per round (MB, log scale)", logX: false, logY: true, targetPercent: null)),
        ];
    }

    private static double[] Accuracy(IReadOnlyList<RoundMetrics> rounds) => [.. rounds.Select(r => r.TestAccuracy * 100)];

    private static Func<IReadOnlyList<RoundMetrics>, double[]> Cumulative(Func<RoundMetrics, double> perRound) => rounds =>
    {
        double total = 0;
        return [.. rounds.Select(r => total += perRound(r))];
    };

    private static byte[] Lines(
        StudyResults results, IReadOnlyDictionary<string, RunStyle> styles,
        Func<IReadOnlyList<RoundMetrics>, double[]> x, Func<IReadOnlyList<RoundMetrics>, double[]> y,
        string xLabel, string yLabel, bool logX, bool logY, double? targetPercent)
    {
        var plot = NewPlot(xLabel, yLabel);
        // The best run is drawn last so that no other line hides it.
        foreach (var result in results.Runs.OrderBy(r => styles[r.Run.Id].IsBest))
        {
            var style = styles[result.Run.Id];
            double[] xs = x(result.Summary.Rounds), ys = y(result.Summary.Rounds);
            var points = xs.Zip(ys).Where(p => (!logX || p.First > 0) && (!logY || p.Second > 0)).ToArray();
            double[] plottedXs = [.. points.Select(p => logX ? Math.Log10(p.First) : p.First)];
            double[] plottedYs = [.. points.Select(p => logY ? Math.Log10(p.Second) : p.Second)];
            var line = plot.Add.Scatter(plottedXs, plottedYs);
            line.LegendText = style.LegendText;
            line.Color = style.Color;
            line.LineWidth = style.LineWidth;
            line.LinePattern = style.Pattern;
            line.MarkerSize = style.MarkerSize;
        }
        if (targetPercent is { } target)
        {
            var line = plot.Add.HorizontalLine(target);
            line.Color = Colors.Gray;
            line.LinePattern = LinePattern.Dashed;
            line.LineWidth = 1.5f;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"target {target:0.#}%");
        }
        if (logX) plot.Axes.Bottom.TickGenerator = LogTicks();
        if (logY) plot.Axes.Left.TickGenerator = LogTicks();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static Plot NewPlot(string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.XLabel(xLabel, 16);
        plot.YLabel(yLabel, 16);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Color.FromHex("#fbfbfd");
        plot.Grid.MajorLineColor = Color.FromHex("#e4e6eb");
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 13;
        return plot;
    }

    /// <summary>Ticks for data already in log10: one per power of ten, labelled with the value itself.</summary>
    private static NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = exponent => Math.Pow(10, exponent).ToString("0.####", CultureInfo.InvariantCulture),
    };
}
