namespace PoolCompress.Learning;

/// <summary>
/// IDX files: an images file (recognised by its magic number, plain or gzip) read with the labels file named like
/// it (<c>X-images-idx3-ubyte[.gz]</c> and <c>X-labels-idx1-ubyte[.gz]</c>), or a directory: every such pair in it.
/// </summary>
internal sealed class IdxFormat : IDataFormat
{
    private const string ImagesMarker = "-images-idx3-ubyte";
    private const string LabelsMarker = "-labels-idx1-ubyte";

    public string Name => "idx";

    public bool Recognizes(string path) => Directory.Exists(path) ? ImageFiles(path).Length > 0 : IdxReader.IsImagesFile(path);

    public SourceData Read(string path, DataReadOptions options)
    {
        string[] images = Directory.Exists(path) ? ImageFiles(path) : [path];
        var parts = images.Select(file => IdxReader.Read(file, LabelsFileFor(file))).ToArray();
        var data = parts.Length == 1 ? parts[0] : LocalData.Concatenate(parts, images);
        return new SourceData(data, [.. data.Classes.Select(name => $"{path} (label {name})")]);
    }

    private static string[] ImageFiles(string directory) =>
        [.. Directory.GetFiles(directory, "*" + ImagesMarker + "*").Where(IdxReader.IsImagesFile).Order(StringComparer.Ordinal)];

    private static string LabelsFileFor(string imagesFile)
    {
        string name = Path.GetFileName(imagesFile);
        int marker = name.IndexOf(ImagesMarker, StringComparison.Ordinal);
        if (marker < 0)
            throw new DataFormatException($"{imagesFile} is an IDX images file, but its name lacks '{ImagesMarker}', so its labels file cannot be found");
        string stem = Path.Combine(Path.GetDirectoryName(imagesFile) ?? ".", name[..marker] + LabelsMarker);
        if (File.Exists(stem)) return stem;
        if (File.Exists(stem + ".gz")) return stem + ".gz";
        throw new DataFormatException($"{imagesFile} has no labels file: {stem} (or .gz) is missing");
    }
}
