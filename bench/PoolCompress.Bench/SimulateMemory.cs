using System.Diagnostics;
using System.Globalization;
using static PoolCompress.Bench.CliProcesses;

namespace PoolCompress.Bench;

/// <summary>
/// Memory of `simulate` (coordinator and clients in one process) over a long federation with a codec: the CLI's
/// simulate, started as the launcher starts it, runs ROUNDS tiny rounds (100 clients on the synthetic digits, two
/// sampled per round, small cnn with head pool avg:1, E=1, B=10) and every tenth of the run this prints the process's
/// resident memory. Every client keeps its error-feedback state in memory the whole run; a process that keeps nothing
/// per round beyond its small round history shows a flat column after warm-up.
/// </summary>
internal static class SimulateMemory
{
    public const int DefaultRounds = 300;
    private const int Clients = 100;
    private const double Fraction = 0.02;

    public static async Task RunAsync(int rounds, string codec)
    {
        var work = Directory.CreateTempSubdirectory("poolcompress-simulate-memory-");
        var simulate = Start([
            "simulate", "--clients", Clients.ToString(CultureInfo.InvariantCulture), "--fraction", Fraction.ToString(CultureInfo.InvariantCulture),
            "--rounds", rounds.ToString(CultureInfo.InvariantCulture), "--dataset", "synthetic", "--head-pool", "avg:1", "--local-epochs", "1",
            "--batch-size", "10", "--codec", codec, "--seed", "1", "--out", Path.Combine(work.FullName, "run"),
        ]);
        try
        {
            var lines = new RoundLines(simulate, "simulate");
            int sampleEvery = Math.Max(1, rounds / 10);
            long started = Stopwatch.GetTimestamp();
            Console.WriteLine($"simulate: {rounds} rounds, {Clients} clients ({Fraction} per round), synthetic digits, cnn head-pool avg:1, E=1, B=10, codec {codec}; one process");
            Console.WriteLine($"| {"round",5} | {"RSS MiB",7} | {"seconds",7} |");
            Console.WriteLine("|------:|--------:|--------:|");
            for (int round = 1; round <= rounds; round++)
            {
                var line = await lines.NextRoundAsync();
                if (line.Round % sampleEvery == 0 || line.Round == rounds)
                    Console.WriteLine($"| {line.Round,5} | {Mib(Rss(simulate)),7:F0} | {Stopwatch.GetElapsedTime(started).TotalSeconds,7:F0} |");
            }
            await simulate.WaitForExitAsync();
            if (simulate.ExitCode != 0) throw new InvalidOperationException($"simulate exited with {simulate.ExitCode}");
        }
        finally
        {
            if (!simulate.HasExited) simulate.Kill(entireProcessTree: true);
            work.Delete(recursive: true);
        }
    }
}
