using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>A sample's shape written as the federation's configuration spells it: <c>1x28x28</c>, <c>3x32x32</c>, <c>20</c>.</summary>
public static class InputShape
{
    public static string Format(IEnumerable<int> shape) => string.Join('x', shape);

    public static int[] Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Trim().ToLowerInvariant().Split('x');
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
                throw new ArgumentException($"input shape '{spec}' is invalid: expected sizes joined by x, e.g. 1x28x28, 3x32x32 or 20", nameof(spec));
        }
        return shape;
    }
}
