using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using PoolCompress.Learning;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PoolCompress.Bench;

/// <summary>
/// Loading a site's data must not dominate a round: reads and decodes 10,000 images from an image folder (grey
/// 28x28 and colour 32x32 PNGs) and 10,000 rows of a 64-feature CSV and Parquet table, each written first, and prints
/// samples per second (best of three reads, files in the OS cache).
/// </summary>
internal static class DataLoading
{
    private const int Samples = 10_000;
    private const int Classes = 10;
    private const int Features = 64;

    public static async Task PrintAsync()
    {
        string root = Directory.CreateTempSubdirectory("poolcompress-data-bench-").FullName;
        try
        {
            Console.WriteLine($"| {"source",-36} | {"samples",8} | {"best of 3 (s)",13} | {"samples/s",10} |");
            Console.WriteLine($"|{new string('-', 38)}|{new string('-', 10)}|{new string('-', 15)}|{new string('-', 12)}|");
            Row("image folder, 28x28 grey PNG", WriteImages(Path.Combine(root, "grey"), 28, colour: false));
            Row("image folder, 32x32 RGB PNG", WriteImages(Path.Combine(root, "rgb"), 32, colour: true));
            Row($"CSV, {Features} features", WriteCsv(Path.Combine(root, "table.csv")));
            Row($"Parquet, {Features} features", await WriteParquetAsync(Path.Combine(root, "table.parquet")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Row(string name, string path)
    {
        double best = double.MaxValue;
        int count = 0;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = Stopwatch.StartNew();
            count = DataFormats.Detect(path).Read(path, new DataReadOptions()).Data.Count;
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"| {name,-36} | {count,8:N0} | {best,13:F2} | {count / best,10:N0} |");
    }

    private static string WriteImages(string folder, int side, bool colour)
    {
        Parallel.For(0, Samples, i =>
        {
            string dir = Path.Combine(folder, $"class{i % Classes}");
            Directory.CreateDirectory(dir);
            using var image = new Image<Rgb24>(side, side);
            var noise = new Random(i);
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    byte grey = (byte)noise.Next(256);
                    pixel = colour ? new Rgb24(grey, (byte)noise.Next(256), (byte)noise.Next(256)) : new Rgb24(grey, grey, grey);
                }
            });
            image.SaveAsPng(Path.Combine(dir, $"{i:D5}.png"));
        });
        return folder;
    }

    private static string WriteCsv(string path)
    {
        var random = new Random(2);
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', Enumerable.Range(0, Features).Select(f => $"x{f}").Append("label")));
        for (int row = 0; row < Samples; row++)
        {
            for (int f = 0; f < Features; f++) text.Append((random.NextDouble() * 2 - 1).ToString("R", CultureInfo.InvariantCulture)).Append(',');
            text.Append(row % Classes).AppendLine();
        }
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static async Task<string> WriteParquetAsync(string path)
    {
        var random = new Random(3);
        var fields = Enumerable.Range(0, Features).Select(f => new DataField<double>($"x{f}")).ToArray();
        var label = new DataField<int>("label");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. fields, label]), file);
        using var group = writer.CreateRowGroup();
        foreach (var field in fields)
            await group.WriteAsync<double>(field, Enumerable.Range(0, Samples).Select(_ => random.NextDouble() * 2 - 1).ToArray().AsMemory());
        await group.WriteAsync<int>(label, Enumerable.Range(0, Samples).Select(row => row % Classes).ToArray().AsMemory());
        return path;
    }
}
