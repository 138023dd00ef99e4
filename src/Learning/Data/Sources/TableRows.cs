using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>
/// Collects the rows of a table (CSV, Parquet): numeric feature columns and one label column, checked as they come
/// so that an error names the file, row and column.
/// </summary>
internal sealed class TableRows
{
    private readonly string _file;
    private readonly string[] _featureColumns;
    private readonly List<float> _features = [];
    private readonly List<byte> _labels = [];
    private readonly NamedClasses _classes = new();

    /// <summary>Splits <paramref name="columns"/> into the label column and the feature columns.</summary>
    public TableRows(string file, IReadOnlyList<string> columns, string labelColumn, out int labelIndex)
    {
        _file = file;
        int label = columns.ToList().IndexOf(labelColumn);
        if (label < 0)
            throw new DataFormatException($"{file} has no label column '{labelColumn}'; its columns are {string.Join(", ", columns)}");
        if (columns.Count < 2) throw new DataFormatException($"{file} has a label column but no feature column");
        _featureColumns = [.. columns.Where((_, i) => i != label)];
        labelIndex = label;
    }

    public int FeatureCount => _featureColumns.Length;

    /// <summary>Checks a feature value: finite, so that one bad cell cannot turn the model's weights into NaN.</summary>
    public float Feature(double value, long row, int feature) =>
        double.IsFinite(value) && Math.Abs(value) <= float.MaxValue
            ? (float)value
            : throw Bad(row, $"column '{_featureColumns[feature]}' is {value.ToString(CultureInfo.InvariantCulture)}, not a finite number");

    public DataFormatException Bad(long row, string problem) => new($"{_file} row {row}: {problem}");

    public string FeatureName(int feature) => _featureColumns[feature];

    public void Add(ReadOnlySpan<float> features, string? label, long row)
    {
        if (string.IsNullOrWhiteSpace(label)) throw Bad(row, "the label is empty");
        string name = label.Trim();
        _labels.Add(_classes.Index(name, () => $"{_file} row {row}"));
        foreach (float value in features) _features.Add(value);
    }

    public SourceData Complete()
    {
        if (_labels.Count == 0) throw new DataFormatException($"{_file} has no data rows");
        return _classes.Complete([.. _features], [.. _labels], [FeatureCount]);
    }
}
