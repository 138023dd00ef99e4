using System.Globalization;

namespace PoolCompress.Reporting;

/// <summary>How the report prints numbers: invariant culture, with precision that suits each quantity's range.</summary>
public static class ReportFormat
{
    public static string Percent(double fraction) => Invariant($"{fraction * 100:0.00}%");

    /// <summary>Accuracy differences in percentage points, signed, with a true minus sign.</summary>
    public static string Points(double difference) =>
        Invariant($"{(difference < 0 ? "\u2212" : "+")}{Math.Abs(difference) * 100:0.00} pp");

    /// <summary>Compressed runs send kilobytes where dense ones send megabytes; keep three significant digits either way.</summary>
    public static string Megabytes(long bytes)
    {
        double mb = Reporting.Megabytes.Of(bytes);
        return mb >= 100 ? Invariant($"{mb:0}") : mb >= 1 ? Invariant($"{mb:0.00}") : Invariant($"{mb:0.000}");
    }

    public static string Seconds(double seconds) => seconds >= 100 ? Invariant($"{seconds:0} s") : Invariant($"{seconds:0.0} s");

    public static string Ratio(double ratio) => ratio >= 10 ? Invariant($"{ratio:0}\u00d7") : Invariant($"{ratio:0.0}\u00d7");

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
