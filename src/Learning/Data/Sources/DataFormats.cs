namespace PoolCompress.Learning;

/// <summary>The formats a site's data may come in, and which one a path holds.</summary>
public static class DataFormats
{
    /// <summary>In the order they are asked: the image folder, which takes any directory with subfolders, comes after the specific layouts.</summary>
    public static IReadOnlyList<IDataFormat> All { get; } =
    [
        new IdxFormat(),
        new CifarFormat(),
        new CsvFormat(),
        new ParquetFormat(),
        new ImageFolderFormat(),
    ];

    public static IDataFormat Detect(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"{path} does not exist", path);
        return All.FirstOrDefault(format => format.Recognizes(path))
            ?? throw new DataFormatException(
                $"{path} is not a data set this program reads ({string.Join(", ", All.Select(f => f.Name))}): " +
                "IDX files, CIFAR .bin batches, a folder of class folders of .png/.jpg images, a .csv or a .parquet table");
    }
}
