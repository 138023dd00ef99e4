namespace PoolCompress.Learning;

/// <summary>
/// What a federation's samples are: their shape and the names of their classes. It travels in the federation's
/// configuration, and a site whose data does not fit it may not join.
/// </summary>
public sealed record DataSpec(IReadOnlyList<int> InputShape, IReadOnlyList<string> Classes)
{
    /// <summary>How many unknown class names a refusal lists before it stops counting them out.</summary>
    private const int NamesShown = 5;

    /// <summary>The digits: 1 x 28 x 28 grey-scale images of the classes 0..9.</summary>
    public static DataSpec Digits { get; } = new([1, 28, 28], Dataset.DigitClasses);

    /// <summary>
    /// <paramref name="inputShape"/> (e.g. <c>3x32x32</c>) and <paramref name="classes"/> (names separated by
    /// commas, e.g. <c>cat,dog</c>, or a count such as <c>10</c> for classes named 0..9) override <paramref name="fallback"/>'s.
    /// </summary>
    public static DataSpec Parse(string? inputShape, string? classes, DataSpec fallback) => new(
        string.IsNullOrWhiteSpace(inputShape) ? fallback.InputShape : Learning.InputShape.Parse(inputShape),
        string.IsNullOrWhiteSpace(classes) ? fallback.Classes : ParseClasses(classes));

    public static IReadOnlyList<string> ParseClasses(string classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (int.TryParse(classes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count))
        {
            return count is >= 1 and <= 256 ? Dataset.NumberedClasses(count)
                : throw new ArgumentException($"classes '{classes}': a federation has 1 to 256 classes", nameof(classes));
        }
        string[] names = [.. classes.Split(',').Select(name => name.Trim())];
        if (names.Any(name => name.Length == 0)) throw new ArgumentException($"classes '{classes}' has an empty name", nameof(classes));
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) throw new ArgumentException($"classes '{classes}' names a class twice", nameof(classes));
        if (names.Length > 256) throw new ArgumentException($"classes: {names.Length} names; a federation has at most 256 classes", nameof(classes));
        return names;
    }

    /// <summary>
    /// How a site's data (samples of <paramref name="shape"/>, labelled with <paramref name="classes"/>) differs from
    /// this spec; empty when it fits. A site may hold only some of the classes, but no class outside them.
    /// <paramref name="originOf"/>, when given, says where a class was found (a file and row).
    /// </summary>
    public IReadOnlyList<string> Differences(IReadOnlyList<int> shape, IReadOnlyList<string> classes, Func<string, string>? originOf = null)
    {
        var differences = new List<string>();
        if (!shape.SequenceEqual(InputShape))
            differences.Add($"its samples are {Learning.InputShape.Format(shape)}, the federation's are {Learning.InputShape.Format(InputShape)}");
        var known = Classes.ToHashSet(StringComparer.Ordinal);
        var unknown = classes.Where(name => !known.Contains(name)).ToArray();
        if (unknown.Length > 0)
        {
            string listed = string.Join(", ", unknown.Take(NamesShown).Select(name => originOf is null ? $"'{name}'" : $"'{name}' in {originOf(name)}")) + (unknown.Length > NamesShown ? $" and {unknown.Length - NamesShown} more" : "");
            differences.Add($"{unknown.Length} of its classes ({listed}) are not among the federation's {Classes.Count} ({string.Join(", ", Classes.Take(NamesShown * 2))}{(Classes.Count > NamesShown * 2 ? ", ..." : "")})");
        }
        return differences;
    }

    public override string ToString() => $"{Learning.InputShape.Format(InputShape)}, {Classes.Count} classes";
}
