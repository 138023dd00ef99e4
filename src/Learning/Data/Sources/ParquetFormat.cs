using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace PoolCompress.Learning;

/// <summary>
/// A Parquet table (by its <c>.parquet</c> extension or its <c>PAR1</c> magic): one label column (strings or whole
/// numbers), every other column numeric. Read with Parquet.Net, row group by row group.
/// </summary>
internal sealed class ParquetFormat : IDataFormat
{
    public string Name => "parquet";

    public bool Recognizes(string path)
    {
        if (!File.Exists(path)) return false;
        if (Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase)) return true;
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return file.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("PAR1"u8);
    }

    public SourceData Read(string path, DataReadOptions options)
    {
        try
        {
            return ReadAsync(path, options).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ParquetException or IOException or InvalidDataException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        {
            throw new DataFormatException($"{path} is not a readable Parquet table: {e.Message}", e);
        }
    }

    private static async Task<SourceData> ReadAsync(string path, DataReadOptions options)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        var rows = new TableRows(path, [.. fields.Select(f => f.Name)], options.LabelColumn, out int labelIndex);
        var featureFields = fields.Where((_, i) => i != labelIndex).ToArray();
        long firstRow = 1;
        for (int group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            int count = checked((int)rowGroup.RowCount);
            var columns = new double?[featureFields.Length][];
            for (int f = 0; f < featureFields.Length; f++)
                columns[f] = await ReadNumbers(rowGroup, featureFields[f], count) ?? throw rows.Bad(firstRow, NotNumeric(featureFields[f]));
            string?[] labels = await ReadLabels(rowGroup, fields[labelIndex], count) ?? throw rows.Bad(firstRow, NotNumeric(fields[labelIndex]) + " or text");

            var features = new float[featureFields.Length];
            for (int r = 0; r < count; r++)
            {
                long row = firstRow + r;
                for (int f = 0; f < features.Length; f++)
                    features[f] = rows.Feature(columns[f][r] ?? throw rows.Bad(row, $"column '{featureFields[f].Name}' is empty"), row, f);
                rows.Add(features, labels[r], row);
            }
            firstRow += count;
        }
        return rows.Complete();
    }

    private static string NotNumeric(DataField field) => $"column '{field.Name}' holds {field.ClrType.Name} values, not numbers";

    private static async Task<string?[]?> ReadLabels(ParquetRowGroupReader rowGroup, DataField field, int count)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var labels = new string?[count];
            await rowGroup.ReadAsync(field, labels.AsMemory(), null);
            return labels;
        }
        var numbers = await ReadNumbers(rowGroup, field, count);
        return numbers?.Select(n => n?.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A numeric column as doubles (null where a cell is empty); null when the column is not numeric.</summary>
    private static Task<double?[]?> ReadNumbers(ParquetRowGroupReader rowGroup, DataField field, int count) => field.ClrType switch
    {
        var t when t == typeof(double) => Read<double>(rowGroup, field, count),
        var t when t == typeof(float) => Read<float>(rowGroup, field, count),
        var t when t == typeof(long) => Read<long>(rowGroup, field, count),
        var t when t == typeof(int) => Read<int>(rowGroup, field, count),
        var t when t == typeof(short) => Read<short>(rowGroup, field, count),
        var t when t == typeof(byte) => Read<byte>(rowGroup, field, count),
        _ => Task.FromResult<double?[]?>(null),
    };

    private static async Task<double?[]?> Read<T>(ParquetRowGroupReader rowGroup, DataField field, int count) where T : struct, INumberBase<T>
    {
        if (field.IsNullable)
        {
            var values = new T?[count];
            await rowGroup.ReadAsync(field, values.AsMemory(), null);
            return [.. values.Select(v => v is { } x ? double.CreateChecked(x) : (double?)null)];
        }
        var plain = new T[count];
        await rowGroup.ReadAsync(field, plain.AsMemory(), null);
        return [.. plain.Select(v => (double?)double.CreateChecked(v))];
    }
}
