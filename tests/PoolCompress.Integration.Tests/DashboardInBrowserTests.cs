using Microsoft.Playwright;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// The live dashboard in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded) while a
/// loopback federation runs. The last screenshot is kept in the test output folder (dashboard-sample.png).
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class DashboardInBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Token = "watch-me";
    private const int Rounds = 4;

    /// <summary>What the page shows: the round counter, the phase, and the points in each plot.</summary>
    private sealed record PageState
    {
        public int Round { get; init; }
        public string Phase { get; init; } = "";
        public int PointsByRound { get; init; }
        public int PointsByBytes { get; init; }
    }

    private const string ReadPage = """
        () => ({
          round: Number(document.getElementById('round').textContent),
          phase: document.getElementById('phase').textContent,
          pointsByRound: document.querySelectorAll('#by-round circle.point').length,
          pointsByBytes: document.querySelectorAll('#by-bytes circle.point').length,
        })
        """;

    [Fact]
    public async Task The_dashboard_follows_a_running_federation_round_by_round()
    {
        Assert.True(File.Exists(Chromium),
            $"{Chromium} is missing; install it with 'apt-get update && apt-get install -y chromium' (the CI script installs it too)");
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Rounds"] = Rounds.ToString(),
            ["Coordinator:MetricsPort"] = TestCoordinator.FreePort().ToString(),
            ["Coordinator:Token"] = Token,
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        await page.GotoAsync(new Uri(coordinator.App.WatchAddress()!, $"dashboard?token={Token}").AbsoluteUri);
        await page.WaitForFunctionAsync("document.getElementById('phase').textContent === 'waiting for clients'");

        // All the digits: rounds long enough for the page, which polls twice a second, to show each one training.
        var clients = EndToEndFederationTests.StartClients(coordinator.Address, 3, token: Token, digits: TrainingDigits.All);
        var seen = new List<PageState>();
        var state = await Read(page);
        seen.Add(state);
        using var patience = new CancellationTokenSource(TestCoordinator.Patience);
        while (state.Phase != "done")
        {
            // Waits for the page to show something new (it polls the coordinator twice a second).
            await page.WaitForFunctionAsync(
                $"s => {{ const now = ({ReadPage})(); return now.round !== s.round || now.phase !== s.phase || now.pointsByRound !== s.pointsByRound; }}",
                new { round = state.Round, phase = state.Phase, pointsByRound = state.PointsByRound },
                new PageWaitForFunctionOptions { Timeout = (float)TestCoordinator.Patience.TotalMilliseconds });
            state = await Read(page);
            seen.Add(state);
        }
        await Task.WhenAll(clients);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-sample.png"), FullPage = true });

        var training = seen.Where(s => s.Phase == "training").Select(s => s.Round).Distinct().ToList();
        Assert.True(training.Count >= 2, $"the round counter did not advance while the federation ran: {string.Join(", ", seen)}");
        Assert.Equal(training.Order(), training);
        // A point per evaluated round, in both plots: none yet while round 1 trains, never one for a round still
        // training, never one taken back, and all of them at the end. The next round may start before the last
        // one's evaluation ends, so while round R trains the plots may still lack round R-1.
        Assert.All(seen.Where(s => s.Phase == "training"), s =>
        {
            Assert.Equal(s.PointsByRound, s.PointsByBytes);
            Assert.InRange(s.PointsByRound, 0, s.Round - 1);
        });
        var points = seen.Select(s => s.PointsByRound).ToList();
        Assert.Equal(points.Order(), points);
        Assert.Equal(new PageState { Round = Rounds, Phase = "done", PointsByRound = Rounds, PointsByBytes = Rounds }, seen[^1]);
    }

    private static Task<PageState> Read(IPage page) => page.EvaluateAsync<PageState>(ReadPage);
}
