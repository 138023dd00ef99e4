using PoolCompress.Contracts;
using System.Globalization;
using System.Net;
using System.Text;
using static PoolCompress.Reporting.ReportFormat;

namespace PoolCompress.Reporting;

/// <summary>
/// Renders report.html: one self-contained file (inline CSS, figures as data: URIs, no script) that opens from a
/// mail attachment or a file share as well as from disk.
/// </summary>
internal static class ReportPage
{
    public static string Render(
        StudyResults results, BestRun? best, IReadOnlyDictionary<string, RunStyle> styles, IReadOnlyList<ReportChart> charts, DateTimeOffset generated)
    {
        var html = new StringBuilder();
        string title = $"{results.Manifest.Name} \u2014 bandwidth study";
        html.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <main>
            <header>
            <p class="eyebrow">PoolCompress study report</p>
            <h1>{Encode(results.Manifest.Name)}</h1>
            <p class="lede">{Encode(Lede(results))}</p>
            {Headline(best)}
            </header>
            """);
        if (best is not null) html.Append(BestCallout(results, best, styles));
        html.Append(Setup(results));
        html.Append(RunsTable(results, styles));
        html.Append(CheckpointsTable(results, styles));
        html.Append(DeploymentTable.Render(results, styles));
        foreach (var chart in charts) html.Append(Figure(chart));
        html.Append($"""
            <footer>Generated {Encode(generated.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))} by PoolCompress.
            The same numbers, unrounded, are in <code>{RunsCsv.FileName}</code> beside this file. MB are 10<sup>6</sup> bytes.</footer>
            </main>
            </body>
            </html>
            """);
        return html.ToString();
    }

    private static string Lede(StudyResults results)
    {
        string target = results.TargetAccuracy is { } t ? $"target accuracy {Percent(t)}" : "no target accuracy";
        return $"{results.Runs.Count} of {results.Manifest.Runs.Count} runs finished \u00b7 {target} \u00b7 links {Links(results.Manifest)}";
    }

    /// <summary>
    /// The best run's saving in one line, total traffic first: a thousandfold smaller uplink means little while the
    /// downlink stays dense, so both directions are named beside it.
    /// </summary>
    private static string Headline(BestRun? best)
    {
        if (best?.Result is not { Run.IsReference: false, VsReference: { Total: { } total, Uplink: { } uplink, Downlink: { } downlink } } run) return "";
        string accuracy = run.AccuracyDeltaVsDense is { } delta ? $", {Points(delta)} accuracy" : "";
        return $"""<p class="headline">{Encode($"Best run: {Ratio(total)} less traffic than dense in total (uplink {Ratio(uplink)}, downlink {Ratio(downlink)}){accuracy}")}</p>""";
    }

    private static string BestCallout(StudyResults results, BestRun best, IReadOnlyDictionary<string, RunStyle> styles)
    {
        var run = best.Result;
        var dense = results.Runs.FirstOrDefault(r => r.Run.Id == run.Run.ReferenceId);
        var tiles = new List<(string Label, string Value, string? Note)>
        {
            ("Final accuracy", Percent(run.Summary.FinalAccuracy), run.AccuracyDeltaVsDense is { } delta && !run.Run.IsReference ? $"{Points(delta)} vs dense" : null),
            ("Uplink, whole run", $"{Megabytes(run.Summary.UplinkBytesTotal)} MB", LessThanDense(run, run.VsReference?.Uplink)),
            ("Downlink, whole run", $"{Megabytes(run.Summary.DownlinkBytesTotal)} MB", LessThanDense(run, run.VsReference?.Downlink)),
            ("Total traffic, whole run", $"{Megabytes(run.Summary.UplinkBytesTotal + run.Summary.DownlinkBytesTotal)} MB", LessThanDense(run, run.VsReference?.Total)),
        };
        if (run.Reach is { } reach)
        {
            double time = results.TimeToTarget(run)!.Value;
            tiles.Add(($"{Capitalized(results.TimeName)} to target", Seconds(time),
                dense is not null && results.TimeToTarget(dense) is { } denseTime && !run.Run.IsReference ? $"dense: {Seconds(denseTime)}" : null));
            tiles.Add(("Rounds to target", reach.Round.ToString(CultureInfo.InvariantCulture),
                $"{Megabytes(reach.UplinkBytes)} MB uplink by then"));
        }
        var html = new StringBuilder($"""
            <section class="callout">
            <p class="eyebrow">Best run</p>
            <h2>{Encode(styles[run.Run.Id].Label)} <code>{Encode(run.Run.Id)}</code></h2>
            <p>{Encode(Capitalized(best.Reason))}.</p>
            <div class="tiles">
            """);
        foreach (var (label, value, note) in tiles)
            html.Append($"""<div class="tile"><span class="label">{Encode(label)}</span><span class="value">{Encode(value)}</span><span class="note">{Encode(note ?? "\u00a0")}</span></div>""");
        return html.Append("</div></section>").ToString();
    }

    /// <summary>The saving against the dense full-head reference at the same rounds, pooled heads included.</summary>
    private static string? LessThanDense(StudyRunResult run, double? ratio) =>
        ratio is { } r && !run.Run.IsReference ? $"{Ratio(r)} less than dense" : null;

    private static string Setup(StudyResults results)
    {
        var runs = results.Manifest.Runs;
        var items = new List<(string Term, string Definition)>();
        if (results.Runs.FirstOrDefault()?.Summary is { } sample)
        {
            var c = sample.Config;
            items.Add(("Data", sample.Data is { } d
                ? Invariant($"{d.Format}, {d.Source}: {d.Train:N0} train / {d.Validation:N0} validation / {d.Test:N0} test samples of {d.InputShape}, {d.ClassNames.Count} classes")
                : $"{c.Dataset} ({sample.DataSource})"));
            items.Add(("Clients", Invariant($"{c.Clients}, {c.Fraction * 100:0.#}% per round (at least {c.MinClients})")));
            items.Add(("Training", Invariant($"{c.Rounds} rounds \u00d7 {c.LocalEpochs} local epoch(s), batch {c.BatchSize}, lr {c.LearningRate}, strategy {c.Strategy}")));
        }
        items.Add(("Models", string.Join(", ", runs.Select(RunStyles.ModelName).Distinct())));
        items.Add(("Partitions", string.Join(", ", runs.Select(r => r.Partition).Distinct())));
        items.Add(("Codecs", string.Join(", ", runs.Select(RunStyles.CodecName).Distinct())));
        items.Add(("Seeds", string.Join(", ", runs.Select(r => r.Seed).Distinct())));
        items.Add(("Links", Links(results.Manifest)));
        var html = new StringBuilder("""<section><h2>Setup</h2><dl class="setup">""");
        foreach (var (term, definition) in items) html.Append($"<div><dt>{Encode(term)}</dt><dd>{Encode(definition)}</dd></div>");
        html.Append("</dl>");
        if (results.Unfinished.Count > 0)
            html.Append($"""<p class="warning">Not finished yet, so not shown: {string.Join(", ", results.Unfinished.Select(r => $"<code>{Encode(r.Id)}</code>"))}.</p>""");
        return html.Append("</section>").ToString();
    }

    private static string RunsTable(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles)
    {
        string time = Capitalized(results.TimeName);
        var html = new StringBuilder($"""
            <section>
            <h2>All runs</h2>
            <p class="hint">Each run is compared with the dense run (no codec, no head pool) of the same model, partition and seed.
            Compression is what uncompressed updates (uplink) or whole models (downlink) of the run's own model would have sent over what was sent; &divide; dense is the
            dense run's bytes over this run's at the same rounds, so it also counts what a smaller head saves; total &divide; dense counts uplink and downlink together. An empty cell: the target was not reached.</p>
            <div class="table-wrap"><table>
            <thead><tr><th>Run</th><th class="num">Final accuracy</th><th class="num">&Delta; vs dense</th>
            <th class="num">Uplink MB</th><th class="num">Downlink MB</th><th class="num">Uplink compression</th><th class="num">Downlink compression</th>
            <th class="num">Uplink &divide; dense</th><th class="num">Downlink &divide; dense</th><th class="num">Total &divide; dense</th>
            <th class="num">Rounds to target</th><th class="num">Uplink MB to target</th><th class="num">{Encode(time)} to target</th></tr></thead>
            <tbody>
            """);
        foreach (var result in results.Runs)
        {
            var run = result.Run;
            var style = styles[run.Id];
            string rowClass = style.IsBest ? "best" : run.IsReference ? "dense" : "";
            string badge = rowClass switch { "best" => """<span class="badge">best</span>""", "dense" => """<span class="badge muted">reference</span>""", _ => "" };
            double? timeToTarget = results.TimeToTarget(result);
            html.Append($"""
                <tr class="{rowClass}">{RunCell(style, $"{Encode(style.Label)} {badge}", run.Id)}
                <td class="num strong">{Percent(result.Summary.FinalAccuracy)}</td>{DeltaCell(run, result.AccuracyDeltaVsDense)}
                <td class="num">{Megabytes(result.Summary.UplinkBytesTotal)}</td><td class="num">{Megabytes(result.Summary.DownlinkBytesTotal)}</td>
                <td class="num">{Ratio(result.Summary.UplinkRatio)}</td><td class="num">{Ratio(result.Summary.DownlinkRatio)}</td>
                <td class="num">{OptionalRatio(result.VsReference?.Uplink)}</td><td class="num">{OptionalRatio(result.VsReference?.Downlink)}</td>
                <td class="num">{OptionalRatio(result.VsReference?.Total)}</td><td class="num">{result.Reach?.Round}</td>
                <td class="num">{(result.Reach is { } reach ? Megabytes(reach.UplinkBytes) : "")}</td>
                <td class="num">{(timeToTarget is { } seconds ? Seconds(seconds) : "")}</td></tr>
                """);
        }
        return html.Append("</tbody></table></div></section>").ToString();
    }

    /// <summary>
    /// Each run beside its reference after each checkpoint round as well as after the last, so one long study shows
    /// what shorter ones would have; absent when the study lists no checkpoints.
    /// </summary>
    private static string CheckpointsTable(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles)
    {
        if (results.Manifest.Checkpoints.Count == 0) return "";
        var checkpoints = results.Checkpoints();
        var rounds = checkpoints.Select(c => c.Round).Distinct().Order().Select(r => r.ToString(CultureInfo.InvariantCulture)).ToList();
        string roundList = rounds.Count < 2 ? string.Join("", rounds) : $"{string.Join(", ", rounds[..^1])} and {rounds[^1]}";
        var html = new StringBuilder($"""
            <section class="checkpoints">
            <h2>At rounds {Encode(roundList)}</h2>
            <p class="hint">Each run after each round listed, beside the dense run after the same round: a federation's first rounds do not depend on how many follow,
            so this is what a shorter study of the same settings would have shown. &divide; dense counts both runs' bytes over rounds 1 to that round.
            The same numbers, unrounded, are in <code>{CheckpointsCsv.FileName}</code>.</p>
            <div class="table-wrap"><table>
            <thead><tr><th>Run</th><th class="num">Round</th><th class="num">Accuracy</th><th class="num">&Delta; vs dense</th>
            <th class="num">Uplink &divide; dense</th><th class="num">Downlink &divide; dense</th><th class="num">Total &divide; dense</th></tr></thead>
            <tbody>
            """);
        foreach (var checkpoint in checkpoints)
        {
            var run = checkpoint.Result.Run;
            var style = styles[run.Id];
            html.Append($"""
                <tr class="{(run.IsReference ? "dense" : "")}">{RunCell(style, Encode(style.Label), run.Id)}
                <td class="num">{checkpoint.Round}</td><td class="num strong">{Percent(checkpoint.Accuracy)}</td>{DeltaCell(run, checkpoint.AccuracyDeltaVsDense)}
                <td class="num">{OptionalRatio(checkpoint.VsReference?.Uplink)}</td><td class="num">{OptionalRatio(checkpoint.VsReference?.Downlink)}</td>
                <td class="num">{OptionalRatio(checkpoint.VsReference?.Total)}</td></tr>
                """);
        }
        return html.Append("</tbody></table></div></section>").ToString();
    }

    internal static string RunCell(RunStyle style, string nameHtml, string id) =>
        $"""<td class="run"><div><span class="swatch" style="background:{style.Color.ToHex()}"></span><span class="name">{nameHtml}</span><code>{Encode(id)}</code></div></td>""";

    /// <summary>A dash for the reference itself, which has no difference to show; green for a gain, red for a loss.</summary>
    private static string DeltaCell(StudyManifestRun run, double? delta)
    {
        string text = run.IsReference ? "\u2014" : delta is { } d ? Points(d) : "";
        string cellClass = run.IsReference || delta is not { } value ? "num muted" : value < 0 ? "num worse" : "num better";
        return $"""<td class="{cellClass}">{Encode(text)}</td>""";
    }

    private static string OptionalRatio(double? ratio) => ratio is { } r ? Ratio(r) : "";

    private static string Figure(ReportChart chart) => $"""
        <section class="figure">
        <h2>{Encode(chart.Title)}</h2>
        <p class="hint"><strong>How to read this:</strong> {Encode(chart.HowToRead)}</p>
        <img alt="{Encode(chart.Title)}" src="data:image/png;base64,{Convert.ToBase64String(chart.Png)}">
        </section>
        """;

    private static string Links(StudyManifest manifest) => manifest.LinkMode == LinkMode.Off
        ? "not emulated (loopback)"
        : $"{manifest.LinkMode.ToString().ToLowerInvariant()}: {manifest.LinkRule}";

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        :root { --ink:#1d2330; --muted:#6b7280; --line:#e5e7eb; --accent:#2f6fb0; --best:#ecf7ee; --best-line:#59a14f; --bg:#f5f6f8; }
        * { box-sizing: border-box; }
        body { margin:0; background:var(--bg); color:var(--ink); font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width:1240px; margin:0 auto; padding:40px 32px 56px; }
        header { margin-bottom:24px; }
        h1 { font-size:34px; line-height:1.15; margin:4px 0 8px; letter-spacing:-0.01em; }
        h2 { font-size:20px; margin:0 0 8px; }
        .eyebrow { text-transform:uppercase; letter-spacing:.08em; font-size:12px; font-weight:600; color:var(--accent); margin:0; }
        .lede { color:var(--muted); font-size:16px; margin:0; }
        .headline { font-size:18px; font-weight:600; margin:8px 0 0; }
        section { background:#fff; border:1px solid var(--line); border-radius:12px; padding:22px 24px; margin:0 0 20px; box-shadow:0 1px 2px rgba(16,24,40,.04); }
        .callout { border-left:6px solid var(--best-line); background:linear-gradient(90deg, var(--best), #fff 60%); }
        .callout h2 { font-size:24px; margin:6px 0 4px; }
        .callout h2 code { font-size:13px; font-weight:400; color:var(--muted); margin-left:8px; }
        .callout p { margin:0 0 16px; }
        .tiles { display:grid; grid-template-columns:repeat(auto-fit, minmax(210px, 1fr)); gap:12px; }
        .tile { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; display:flex; flex-direction:column; }
        .tile .label { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.05em; }
        .tile .value { font-size:26px; font-weight:650; font-variant-numeric:tabular-nums; }
        .tile .note { font-size:13px; color:var(--muted); }
        .setup { display:grid; grid-template-columns:repeat(auto-fit, minmax(260px, 1fr)); gap:10px 24px; margin:8px 0 0; }
        .setup dt { font-size:12px; color:var(--muted); text-transform:uppercase; letter-spacing:.05em; }
        .setup dd { margin:0; }
        .warning { margin:14px 0 0; padding:10px 12px; background:#fff7e6; border:1px solid #f5d28a; border-radius:8px; }
        .hint { color:var(--muted); margin:0 0 14px; font-size:14px; }
        .table-wrap { overflow-x:auto; }
        table { border-collapse:collapse; width:100%; font-size:13.5px; }
        th, td { padding:8px 8px; border-bottom:1px solid var(--line); text-align:left; white-space:nowrap; }
        th { font-size:12px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.03em; background:#fafbfc; position:sticky; top:0; white-space:normal; vertical-align:bottom; }
        td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
        td.run { white-space:normal; min-width:300px; }
        td.run div { display:grid; grid-template-columns:18px 1fr; align-items:baseline; }
        td.run .name { font-weight:600; }
        td.run code { grid-column:2; font-size:11.5px; color:var(--muted); }
        tbody tr:hover { background:#f8fafc; }
        tr.dense td { background:#fafafa; }
        tr.best td { background:var(--best); font-weight:600; }
        tr.best td:first-child { box-shadow:inset 4px 0 0 var(--best-line); }
        .strong { font-weight:600; }
        .better { color:#1f7a35; }
        .worse { color:#b42318; }
        .muted { color:var(--muted); }
        .badge { display:inline-block; margin-left:2px; white-space:nowrap; padding:1px 7px; border-radius:999px; font-size:11px; font-weight:600; background:var(--best-line); color:#fff; vertical-align:1px; }
        .badge.muted { background:#e5e7eb; color:#374151; }
        .swatch { display:inline-block; width:10px; height:10px; border-radius:2px; }
        .figure img { display:block; width:100%; height:auto; border-radius:6px; }
        code { font-family:ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; }
        footer { color:var(--muted); font-size:13px; text-align:center; margin-top:28px; }
        """;
}
