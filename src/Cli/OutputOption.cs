using System.CommandLine;
using System.Globalization;

namespace PoolCompress.Cli;

internal static class OutputOption
{
    public static Option<string> Create() =>
        new("--out") { Description = "Directory for summary.json and rounds.csv (default runs/COMMAND-TIMESTAMP)" };

    public static string Resolve(ParseResult parse, Option<string> option, string command) =>
        parse.GetValue(option) is { Length: > 0 } dir
            ? dir
            : Path.Combine("runs", $"{command}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
}
