using System.Globalization;
using System.Text;

namespace PoolCompress.Reporting;

/// <summary>The study's CSV files: a header line, then one line of cells per row, numbers in the invariant culture.</summary>
internal static class CsvFile
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var csv = new StringBuilder().AppendLine(string.Join(',', header));
        foreach (var row in rows) csv.AppendLine(string.Join(',', row.Select(Cell)));
        RunFiles.WriteAtomically(path, csv.ToString());
    }

    private static string Cell(object? value)
    {
        string text = value is IFormattable number ? number.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";
        // Head pools such as spp:1,2,4 contain commas.
        return text.IndexOfAny([',', '"', '\n']) < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
