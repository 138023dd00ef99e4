using Parquet;
using Parquet.Schema;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PoolCompress.Learning.Tests;

/// <summary>Writes small data sets in each format a site may hold, for the readers to read back.</summary>
internal static class DataFiles
{
    /// <summary>A PNG whose every pixel is <paramref name="colour"/>.</summary>
    public static void Png(string path, int width, int height, Rgb24 colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(width, height, colour);
        image.SaveAsPng(path);
    }

    public static void Jpeg(string path, int width, int height, Rgb24 colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(width, height, colour);
        image.SaveAsJpeg(path);
    }

    /// <summary>CIFAR-10 records: label byte, then 1,024 red, green and blue bytes each set to label * 10 + plane.</summary>
    public static byte[] Cifar10(params byte[] labels)
    {
        var file = new byte[labels.Length * 3073];
        for (int r = 0; r < labels.Length; r++)
        {
            file[r * 3073] = labels[r];
            for (int plane = 0; plane < 3; plane++)
                file.AsSpan(r * 3073 + 1 + plane * 1024, 1024).Fill((byte)(labels[r] * 10 + plane));
        }
        return file;
    }

    /// <summary>A Parquet table of float features x1..xF and a string label column.</summary>
    public static async Task ParquetAsync(string path, float[][] features, string[] labels)
    {
        var featureFields = Enumerable.Range(1, features.Length).Select(i => new DataField<float>($"x{i}")).ToArray();
        var labelField = new DataField<string>("label");
        var schema = new ParquetSchema([.. featureFields, labelField]);
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, file);
        using var group = writer.CreateRowGroup();
        for (int f = 0; f < features.Length; f++) await group.WriteAsync<float>(featureFields[f], features[f].AsMemory());
        await group.WriteAsync(labelField, labels);
    }
}
