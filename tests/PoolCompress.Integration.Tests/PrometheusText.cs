using System.Globalization;

namespace PoolCompress.Integration.Tests;

/// <summary>Samples of a Prometheus text exposition, by metric name (labels dropped; enough for one scope).</summary>
internal static class PrometheusText
{
    public static Dictionary<string, double> Parse(string exposition)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            int nameEnd = line.IndexOfAny(['{', ' ']);
            int valueStart = line.LastIndexOf('}') is var labelsEnd and >= 0 ? labelsEnd + 2 : nameEnd + 1;
            string value = line[valueStart..].Split(' ')[0];
            samples[line[..nameEnd]] = double.Parse(value, CultureInfo.InvariantCulture);
        }
        return samples;
    }
}
