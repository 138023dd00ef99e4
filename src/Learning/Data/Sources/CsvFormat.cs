using CsvHelper;

namespace PoolCompress.Learning;

/// <summary>
/// A <c>.csv</c> table with a header row: the label column (<see cref="DataReadOptions.LabelColumn"/>) holds class
/// names or numbers, every other column a number. Read with CsvHelper (separator detected: comma, semicolon, tab or bar).
/// </summary>
internal sealed class CsvFormat : IDataFormat
{
    public string Name => "csv";

    public bool Recognizes(string path) => File.Exists(path) && Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);

    public SourceData Read(string path, DataReadOptions options)
    {
        try
        {
            using var csv = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { IncludeValuesInExceptions = true }, leaveOpen: false);
            if (!csv.Read()) throw new DataFormatException($"{path} has no data rows");
            var rows = new TableRows(path, [.. csv.Headers], options.LabelColumn, out int labelIndex);
            var features = new float[rows.FeatureCount];
            do
            {
                // The header is line 1, so data record N is on row N + 1 of the file as a spreadsheet shows it.
                long row = csv.RowNumber + 1;
                if (csv.FieldCount != rows.FeatureCount + 1)
                    throw rows.Bad(row, $"{csv.FieldCount} fields, but the header names {rows.FeatureCount + 1}");
                for (int field = 0, feature = 0; field < csv.FieldCount; field++)
                {
                    if (field == labelIndex) continue;
                    if (!csv.TryParse(field, out double value))
                        throw rows.Bad(row, $"column '{rows.FeatureName(feature)}' is '{csv.GetString(field)}', not a number");
                    features[feature] = rows.Feature(value, row, feature);
                    feature++;
                }
                rows.Add(features, csv.GetString(labelIndex), row);
            }
            while (csv.Read());
            return rows.Complete();
        }
        catch (Exception e) when (e is CsvFormatException or CsvValidationException)
        {
            throw new DataFormatException($"{path} is not a readable CSV table: {e.Message}", e);
        }
    }
}
