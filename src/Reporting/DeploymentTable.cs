using System.Net;
using System.Text;
using static PoolCompress.Reporting.ReportFormat;

namespace PoolCompress.Reporting;

/// <summary>
/// The report's deployment table: each run's exports in each engine (size, latency, throughput, memory, accuracy)
/// beside what its federation sent, with size, batch-1 latency and accuracy against the study's first dense run.
/// Absent when the study asked for no exports.
/// </summary>
internal static class DeploymentTable
{
    public static string Render(StudyResults results, IReadOnlyDictionary<string, RunStyle> styles)
    {
        if (!results.Runs.Any(r => r.Summary.Deployment is { Count: > 0 })) return "";
        var html = new StringBuilder("""
            <section class="deployment">
            <h2>Deployment</h2>
            <p class="hint">Each run's final model as the study's <code>deployment</code> section exports it, run by TorchSharp (its safetensors) and ONNX Runtime (the .onnx file) on this machine's CPU.
            &times; smaller, &times; faster (batch-1 p50) and &Delta; accuracy compare with the first export in TorchSharp of the study's first dense run on the same partition and seed. Sparsity: zero weights among the weight tensors.
            Latencies depend on what else the machine runs. Sent: both directions of the run's federation, at the sockets.</p>
            <div class="table-wrap"><table>
            <thead><tr><th>Run</th><th>Export</th><th>Engine</th><th class="num">Parameters</th><th class="num">Sparsity</th><th class="num">Bytes on disk</th><th class="num">&times; smaller</th>
            <th class="num">Batch 1 p50 ms</th><th class="num">p99 ms</th><th class="num">&times; faster</th><th class="num">Batch 32 samples/s</th><th class="num">Peak memory MB</th>
            <th class="num">Accuracy</th><th class="num">&Delta; vs dense</th><th class="num">Macro-F1</th><th class="num">Sent MB</th></tr></thead>
            <tbody>
            """);
        foreach (var result in results.Runs.Where(r => r.Summary.Deployment is { Count: > 0 }))
        {
            var style = styles[result.Run.Id];
            var reference = Reference(results, result.Run);
            long sent = result.Summary.UplinkBytesTotal + result.Summary.DownlinkBytesTotal;
            foreach (var row in result.Summary.Deployment!)
            {
                html.Append($"""
                    <tr>{ReportPage.RunCell(style, Encode(style.Label), result.Run.Id)}<td>{Encode(row.Export)}</td><td>{Encode(row.Engine)}</td>
                    <td class="num">{Invariant($"{row.Parameters:N0}")}</td><td class="num">{Percent(row.Sparsity)}</td><td class="num">{Invariant($"{row.Bytes:N0}")}</td>
                    <td class="num">{Versus(reference?.Bytes, row.Bytes)}</td>
                    <td class="num strong">{Invariant($"{row.Batch1P50Milliseconds:0.000}")}</td><td class="num">{Invariant($"{row.Batch1P99Milliseconds:0.000}")}</td>
                    <td class="num">{Versus(reference?.Batch1P50Milliseconds, row.Batch1P50Milliseconds)}</td><td class="num">{Invariant($"{row.Batch32SamplesPerSecond:N0}")}</td>
                    <td class="num">{(row.PeakMemoryBytes is { } peak ? Megabytes(peak) : "")}</td>
                    <td class="num strong">{Percent(row.Accuracy)}</td><td class="num">{(reference is null ? "" : Points(row.Accuracy - reference.Accuracy))}</td>
                    <td class="num">{Invariant($"{row.MacroF1:0.0000}")}</td><td class="num">{Megabytes(sent)}</td></tr>
                    """);
            }
        }
        return html.Append("</tbody></table></div></section>").ToString();
    }

    /// <summary>
    /// The first row of the study's first dense run on the run's partition and seed: the study's first model, so that
    /// every model is compared with the one the study lists first (e.g. the dense <c>cnn</c>), not only with its own dense run.
    /// </summary>
    private static DeploymentMetrics? Reference(StudyResults results, StudyManifestRun run) =>
        results.Runs.FirstOrDefault(r => r.Run.IsReference && r.Run.Partition == run.Partition && r.Run.Seed == run.Seed && r.Summary.Deployment is { Count: > 0 })
            ?.Summary.Deployment![0];

    /// <summary>The reference's figure over this one (how many times smaller or faster), or nothing without a reference.</summary>
    private static string Versus(double? reference, double value) => reference is { } r && value > 0 ? Ratio(r / value) : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
