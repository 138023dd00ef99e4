using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PoolCompress.Bench;

/// <summary>A `coordinator` or `simulate` process's progress lines: "listening on", then one per completed round.</summary>
internal sealed partial class RoundLines
{
    private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

    public RoundLines(Process process, string name)
    {
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) _lines.Writer.TryWrite(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine($"{name}: {line}"); };
        process.Exited += (_, _) => _lines.Writer.TryComplete();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public async Task ListeningAsync()
    {
        await foreach (string line in _lines.Reader.ReadAllAsync())
            if (line.StartsWith("listening on", StringComparison.Ordinal)) return;
        throw new InvalidOperationException("the process left before it listened (its errors are above)");
    }

    /// <summary>The next completed round; fails when the process has left first.</summary>
    public async Task<(int Round, double Seconds, int Participants, string Uplink, string Downlink)> NextRoundAsync()
    {
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (_lines.Reader.TryRead(out string? line))
            {
                // "    1    91.20%   0.3120         -    1000    12.34 MiB     6.31 GiB     95.2"
                var match = RoundLine().Match(line);
                if (match.Success)
                    return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[5].Value, CultureInfo.InvariantCulture),
                        int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), match.Groups[3].Value, match.Groups[4].Value);
            }
        }
        throw new InvalidOperationException("the process left before the round ended (its errors are above)");
    }

    // Percentages are written in the current culture: "91.20%" or, invariant, "91.20 %".
    [GeneratedRegex(@"^\s*(\d+)\s+\S+(?:\s%)?\s+\S+\s+\S+(?:\s%)?\s+(\d+)\s+([\d.]+ \S+)\s+([\d.]+ \S+)\s+([\d.]+)")]
    private static partial Regex RoundLine();
}
