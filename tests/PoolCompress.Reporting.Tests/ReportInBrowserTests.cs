using System.Diagnostics;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace PoolCompress.Reporting.Tests;

/// <summary>
/// Opens report.html in headless Chromium, from file:// and with no server, as a reader would. The screenshot and
/// the report are kept in the test output folder (report-sample.*) for a human to look at.
/// </summary>
public sealed class ReportInBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Added to a copy of the report: records, after load, whether each image decoded.</summary>
    private const string Probe = """
        <script>window.addEventListener('load', () => document.querySelectorAll('img')
          .forEach(img => img.setAttribute('data-natural-width', img.naturalWidth)));</script>
        """;

    private readonly TempFolder _study = new();

    public void Dispose() => _study.Dispose();

    [Fact]
    public void The_report_renders_in_headless_chromium_with_its_table_and_decoded_figures()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing; install it with 'apt-get update && apt-get install -y chromium' (the CI script installs it too)");
        RunFixtures.WriteStudy(_study.Path);
        string report = StudyReport.Write(_study.Path, targetAccuracy: null);
        string probed = Path.Combine(_study.Path, "probed.html");
        File.WriteAllText(probed, File.ReadAllText(report).Replace("</body>", Probe + "</body>", StringComparison.Ordinal));
        string screenshot = Path.Combine(_study.Path, "report.png");

        RunChromium($"--screenshot={screenshot}", new Uri(report).AbsoluteUri);
        string dom = RunChromium("--dump-dom", new Uri(probed).AbsoluteUri);

        Assert.True(File.Exists(screenshot), "Chromium wrote no screenshot");
        File.Copy(screenshot, Path.Combine(AppContext.BaseDirectory, "report-sample.png"), overwrite: true);
        File.Copy(report, Path.Combine(AppContext.BaseDirectory, "report-sample.html"), overwrite: true);
        using (var bitmap = SKBitmap.Decode(screenshot))
        {
            Assert.Equal((1400, 2000), (bitmap.Width, bitmap.Height));
            Assert.True(DistinctColours(bitmap) > 100, "the screenshot is nearly blank");
        }

        Assert.Contains("<table>", dom);
        Assert.All(RunFixtures.FinishedIds, id => Assert.Contains($"<code>{id}</code>", dom));
        var widths = Regex.Matches(dom, "<img [^>]*data-natural-width=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(widths.Count >= 4, $"expected at least 4 figures in the rendered page, found {widths.Count}");
        Assert.All(widths, width => Assert.True(width > 0, "a figure did not decode in the browser"));
    }

    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
        for (int x = 0; x < bitmap.Width; x += 7)
            colours.Add(bitmap.GetPixel(x, y));
        return colours.Count;
    }

    private string RunChromium(params string[] arguments)
    {
        var start = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Directory.CreateDirectory(Path.Combine(_study.Path, $"profile-{Guid.NewGuid():N}")).FullName}",
            "--window-size=1400,2000", "--hide-scrollbars", "--virtual-time-budget=10000", .. arguments,
        ])
            start.ArgumentList.Add(argument);
        using var chromium = Process.Start(start)!;
        var stdout = chromium.StandardOutput.ReadToEndAsync();
        var stderr = chromium.StandardError.ReadToEndAsync();
        // A guard against a hung browser, not a performance assertion.
        if (!chromium.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            chromium.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not finish: {string.Join(' ', arguments)}");
        }
        Assert.True(chromium.ExitCode == 0, $"Chromium exited with {chromium.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
