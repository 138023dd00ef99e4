using System.Buffers;
using System.Globalization;

namespace PoolCompress.Links;

/// <summary>
/// Reads an explicit link such as <c>up=1mbit,down=10mbit,rtt=50ms</c>: comma-separated <c>KEY=VALUE</c> parts in any
/// order, keys and units ignoring case, spaces around parts allowed.
/// <list type="bullet">
/// <item><c>up</c> and <c>down</c> (both required): a decimal number and a unit <c>bit</c>, <c>kbit</c>, <c>mbit</c> or
/// <c>gbit</c>, all per second, with decimal prefixes (1 kbit = 1000 bit); more than 0, at most 1000 gbit.</item>
/// <item><c>rtt</c> (optional, default 0): a decimal number and a unit <c>ms</c> or <c>s</c>; from 0 to 3600 s.</item>
/// </list>
/// "kbps"-style units are refused on purpose: kbps and kBps are routinely confused, and reading bytes as bits would
/// silently make every link eight times faster or slower.
/// </summary>
internal static class LinkSpecParser
{
    private const string Grammar = "up=RATE,down=RATE[,rtt=TIME]";

    private static readonly SearchValues<char> NumberCharacters = SearchValues.Create("0123456789.+- ");

    private static readonly Quantity Rate = new(
        new(StringComparer.OrdinalIgnoreCase) { ["bit"] = 1m, ["kbit"] = 1e3m, ["mbit"] = 1e6m, ["gbit"] = 1e9m },
        "rates take bit, kbit, mbit or gbit (bits per second)", "a rate must be > 0 and at most 1000gbit", AllowsZero: false, Maximum: 1e12m);

    private static readonly Quantity RoundTripMilliseconds = new(
        new(StringComparer.OrdinalIgnoreCase) { ["ms"] = 1m, ["s"] = 1e3m },
        "rtt takes ms or s", "the round trip must be from 0 to 3600s", AllowsZero: true, Maximum: 3.6e6m);

    public static LinkProfile Parse(string spec)
    {
        string name = spec.Trim();
        if (name.Length == 0)
            throw Error(spec, $"the spec is empty; expected a profile name ({LinkProfiles.NameList}) or {Grammar}");
        if (!name.Contains('='))
            throw Error(spec, $"unknown profile '{name}'; named profiles are {LinkProfiles.NameList}, or write {Grammar}");

        decimal? up = null, down = null, rttMs = null;
        foreach (string rawPart in name.Split(','))
        {
            string part = rawPart.Trim();
            int equals = part.IndexOf('=');
            string key = equals < 0 ? part : part[..equals].Trim();
            string value = equals < 0 ? "" : part[(equals + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "up":
                    up = Once(spec, part, up, Read(spec, part, value, Rate));
                    break;
                case "down":
                    down = Once(spec, part, down, Read(spec, part, value, Rate));
                    break;
                case "rtt":
                    rttMs = Once(spec, part, rttMs, Read(spec, part, value, RoundTripMilliseconds));
                    break;
                default:
                    throw Error(spec, $"unknown key '{key}' in '{part}'; allowed keys are up, down and rtt ({Grammar})");
            }
        }

        return new LinkProfile(
            name,
            (double)(up ?? throw Error(spec, $"missing up=RATE; expected {Grammar}")),
            (double)(down ?? throw Error(spec, $"missing down=RATE; expected {Grammar}")),
            TimeSpan.FromMilliseconds((double)(rttMs ?? 0m)));
    }

    /// <summary>Reads NUMBER UNIT, in decimal so that e.g. 1.6mbit is exactly 1,600,000 bit/s.</summary>
    private static decimal Read(string spec, string part, string value, Quantity quantity)
    {
        if (value.Length == 0)
            throw Error(spec, $"'{part}' has no value; expected a number and a unit ({quantity.AllowedUnits})");
        int unitStart = value.AsSpan().IndexOfAnyExcept(NumberCharacters);
        string number = unitStart < 0 ? value : value[..unitStart];
        string unit = unitStart < 0 ? "" : value[unitStart..];
        if (unit.Length == 0)
            throw Error(spec, $"'{part}' has no unit; {quantity.AllowedUnits}");
        if (!quantity.Units.TryGetValue(unit, out decimal scale))
            throw Error(spec, $"unknown unit '{unit}' in '{part}'; {quantity.AllowedUnits}");
        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out decimal amount))
            throw Error(spec, $"'{part}': '{number.Trim()}' is not a number");
        if (amount < 0 || (amount == 0 && !quantity.AllowsZero) || amount > quantity.Maximum / scale)
            throw Error(spec, $"'{part}': {quantity.RangeRule}");
        return amount * scale;
    }

    private static decimal Once(string spec, string part, decimal? earlier, decimal value) => earlier is null
        ? value
        : throw Error(spec, $"'{part}' repeats a key that was already given");

    private static LinkSpecException Error(string spec, string problem) => new($"link '{spec}': {problem}");

    private sealed record Quantity(Dictionary<string, decimal> Units, string AllowedUnits, string RangeRule, bool AllowsZero, decimal Maximum);
}
