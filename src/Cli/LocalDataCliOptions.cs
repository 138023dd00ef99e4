using System.CommandLine;
using PoolCompress.Learning;

namespace PoolCompress.Cli;

/// <summary>A client's own data: files or folders in any format <see cref="DataFormats"/> reads, and a validation split.</summary>
internal sealed class LocalDataCliOptions
{
    public Option<string[]> Data { get; } = new("--data")
    {
        Description = $"This site's own data (repeatable), a file or folder whose format is detected by content or extension: {string.Join(", ", DataFormats.All.Select(format => format.Name))}",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<double> ValidationFraction { get; } = new("--val-fraction") { Description = "Share of the local data held back for validation, drawn with --seed (default 0)" };
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "The label column of CSV and Parquet tables (default label)" };
    public Option<string> ImageSize { get; } = new("--image-size") { Description = "HxW every image of an image folder is resized to (default: all must share one size)" };

    public IEnumerable<Option> All => [Data, ValidationFraction, LabelColumn, ImageSize];

    /// <summary>The site's data, or null when no --data was given (the client then takes its shard of a shared dataset).</summary>
    public LocalData? Load(ParseResult parse, long seed)
    {
        string[] paths = parse.GetValue(Data) ?? [];
        if (paths.Length == 0) return null;
        var options = new DataReadOptions { LabelColumn = parse.GetValue(LabelColumn) ?? "label" };
        if (parse.GetValue(ImageSize) is { Length: > 0 } size)
        {
            int[] sides = InputShape.Parse(size);
            if (sides.Length != 2) throw new ArgumentException($"--image-size '{size}' must be HxW, e.g. 28x28");
            options = options with { ImageSize = (sides[0], sides[1]) };
        }
        return LocalData.Load(paths, options, parse.GetValue(ValidationFraction), seed);
    }
}
