using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>
/// Collects the classes of data labelled by name (a table's label column, an image's folder) in the order they
/// are met, then numbers them canonically: numerically when every name is a whole number, else by ordinal string
/// order, so that every site numbers the same names the same way.
/// </summary>
internal sealed class NamedClasses
{
    private readonly Dictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<string> _origins = [];

    /// <summary>The provisional index of <paramref name="name"/>; <paramref name="origin"/> says where it was first met.</summary>
    public byte Index(string name, Func<string> origin)
    {
        if (_seen.TryGetValue(name, out byte index)) return index;
        if (_names.Count == 256) throw new DataFormatException($"{origin()}: a 257th class '{name}'; at most 256 classes are supported");
        index = (byte)_names.Count;
        _seen.Add(name, index);
        _names.Add(name);
        _origins.Add(origin());
        return index;
    }

    /// <summary>Renumbers <paramref name="labels"/> (provisional indices) in place and returns the data set.</summary>
    public SourceData Complete(float[] features, byte[] labels, IReadOnlyList<int> shape)
    {
        var comparer = CanonicalOrder(_names);
        int[] order = [.. Enumerable.Range(0, _names.Count).Order(Comparer<int>.Create((a, b) => comparer.Compare(_names[a], _names[b])))];
        var renumbered = new byte[order.Length];
        for (int i = 0; i < order.Length; i++) renumbered[order[i]] = (byte)i;
        for (int i = 0; i < labels.Length; i++) labels[i] = renumbered[labels[i]];
        return new SourceData(
            new Dataset(features, labels, shape, [.. order.Select(i => _names[i])]),
            [.. order.Select(i => _origins[i])]);
    }

    /// <summary>Numeric order when every name is a whole number, else ordinal string order.</summary>
    public static IComparer<string> CanonicalOrder(IEnumerable<string> names) =>
        names.All(name => long.TryParse(name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            ? Comparer<string>.Create((a, b) => long.Parse(a, CultureInfo.InvariantCulture).CompareTo(long.Parse(b, CultureInfo.InvariantCulture)))
            : StringComparer.Ordinal;
}
