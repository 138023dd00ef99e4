using System.Globalization;
using ScottPlot;

namespace PoolCompress.Reporting;

/// <summary>
/// Assigns each run its look: colour by what was sent (model, head pool, codec, strategy and attack; dense FedAvg
/// references in near-black),
/// line pattern by data split, so runs that differ only in the split read as one family.
/// </summary>
internal static class RunStyles
{
    private static readonly Color Dense = Color.FromHex("#2b2b2b");

    // Tableau 10 without its grey, which would be mistaken for the dense reference.
    private static readonly Color[] Palette =
    [
        Color.FromHex("#4e79a7"), Color.FromHex("#f28e2b"), Color.FromHex("#e15759"), Color.FromHex("#59a14f"),
        Color.FromHex("#b07aa1"), Color.FromHex("#76b7b2"), Color.FromHex("#edc948"), Color.FromHex("#ff9da7"),
        Color.FromHex("#9c755f"),
    ];

    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    public static IReadOnlyDictionary<string, RunStyle> For(StudyResults results, BestRun? best)
    {
        var runs = results.Runs.Select(r => r.Run).ToList();
        var senders = runs.Where(run => !IsDense(run)).Select(Sender).Distinct().ToList();
        var partitions = runs.Select(run => run.Partition).Distinct().ToList();
        var label = Labeller(runs);
        return runs.ToDictionary(run => run.Id, run => new RunStyle(
            label(run),
            IsDense(run) ? Dense : Palette[senders.IndexOf(Sender(run)) % Palette.Length],
            Patterns[partitions.IndexOf(run.Partition) % Patterns.Length],
            run.Id == best?.Result.Run.Id));
    }

    public static string ModelName(StudyManifestRun run) => run.HeadPool is null ? run.Model : $"{run.Model}+{run.HeadPool}";

    /// <summary>The uplink codec, and the downlink one when the model is not sent dense.</summary>
    public static string CodecName(StudyManifestRun run)
    {
        string uplink = run.Codec == "none" ? "uncompressed" : run.Codec;
        return run.DownlinkCodec == "none" ? uplink : $"{uplink}, down {run.DownlinkCodec}";
    }

    /// <summary>The strategy, with its clip norm when it clips.</summary>
    public static string DefenceName(StudyManifestRun run) =>
        run.ClipNorm is { } clip ? string.Create(CultureInfo.InvariantCulture, $"{run.Strategy} clip {clip}") : run.Strategy;

    public static string AttackName(StudyManifestRun run) => run.Attack ?? "no attack";

    private static bool IsDense(StudyManifestRun run) =>
        run.HeadPool is null && run.Codec == "none" && run.Strategy == "fedavg" && run.ClipNorm is null && run.Attack is null;

    private static string Sender(StudyManifestRun run) => $"{ModelName(run)} {CodecName(run)} {DefenceName(run)} {AttackName(run)}";

    /// <summary>Names runs by only the grid dimensions that vary in this study, so legends stay short.</summary>
    private static Func<StudyManifestRun, string> Labeller(IReadOnlyList<StudyManifestRun> runs)
    {
        Func<StudyManifestRun, string>[] dimensions = [CodecName, ModelName, DefenceName, AttackName, run => run.Partition, run => $"seed {run.Seed}"];
        var varying = dimensions.Where(dimension => runs.Select(dimension).Distinct().Count() > 1).ToArray();
        if (varying.Length == 0) varying = [CodecName];
        return run => string.Join(" · ", varying.Select(dimension => dimension(run)));
    }
}
