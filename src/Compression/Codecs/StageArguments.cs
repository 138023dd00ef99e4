using System.Globalization;

namespace PoolCompress.Compression.Codecs;

/// <summary>Reading a stage's arguments the way every stage does, so that specs and their messages read alike.</summary>
public static class StageArguments
{
    public static void ExpectNone(ReadOnlySpan<string> arguments, string name)
    {
        if (arguments.Length != 0) throw new FormatException($"'{name}' takes no arguments");
    }

    /// <summary>The one argument as a fraction in (0,1], e.g. <c>topk:0.01</c>.</summary>
    public static double Fraction(ReadOnlySpan<string> arguments, string name, string usage)
    {
        if (arguments.Length != 1 || !double.TryParse(arguments[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) || !(fraction is > 0 and <= 1))
            throw new FormatException($"FRACTION must be in (0,1]; expected {usage}, e.g. {name}:0.01");
        return fraction;
    }

    /// <summary>The canonical text of a number: the shortest that reads back to the same value.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
