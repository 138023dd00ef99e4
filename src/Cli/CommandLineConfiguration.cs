using System.CommandLine;
using System.Globalization;

namespace PoolCompress.Cli;

internal static class CommandLineConfiguration
{
    /// <summary>Copies an option to a configuration key, only when the user gave it, so other layers keep their say.</summary>
    public static void Put<T>(this Dictionary<string, string?> configuration, ParseResult parse, Option<T> option, string key)
    {
        if (parse.GetResult(option) is null) return;
        configuration[key] = Convert.ToString(parse.GetValue(option), CultureInfo.InvariantCulture);
    }
}
