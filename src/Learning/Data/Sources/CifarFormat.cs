namespace PoolCompress.Learning;

/// <summary>
/// CIFAR binary batches: records of label byte(s) then 3,072 pixel bytes (32 x 32, red plane, green, blue).
/// CIFAR-10 (<c>data_batch_N.bin</c>, <c>test_batch.bin</c>) has one label byte; CIFAR-100 (<c>train.bin</c>,
/// <c>test.bin</c>) two, coarse then fine, of which the fine label is the class. A directory means its training
/// batches. Class names come from <c>batches.meta.txt</c> / <c>fine_label_names.txt</c> beside the batches when present.
/// </summary>
internal sealed class CifarFormat : IDataFormat
{
    private const int Side = 32;
    private const int Pixels = 3 * Side * Side;

    private static readonly string[] Cifar10Names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public string Name => "cifar";

    public bool Recognizes(string path) => Directory.Exists(path)
        ? TrainingBatches(path).Length > 0
        : Path.GetExtension(path).Equals(".bin", StringComparison.OrdinalIgnoreCase) && Variant(path) is not null;

    public SourceData Read(string path, DataReadOptions options)
    {
        string[] batches = Directory.Exists(path) ? TrainingBatches(path) : [path];
        var (labelBytes, classCount, namesFile) = Variant(batches[0])!.Value;
        var bytes = batches.Select(File.ReadAllBytes).ToArray();
        int recordLength = labelBytes + Pixels;
        for (int b = 0; b < batches.Length; b++)
        {
            if (bytes[b].Length == 0 || bytes[b].Length % recordLength != 0)
                throw new DataFormatException(
                    $"{batches[b]} is truncated or not a CIFAR batch: {bytes[b].Length} bytes is not a whole number of {recordLength}-byte records");
        }

        int count = bytes.Sum(b => b.Length / recordLength);
        var features = new float[(long)count * Pixels];
        var labels = new byte[count];
        int sample = 0;
        for (int b = 0; b < batches.Length; b++)
        {
            for (int offset = 0; offset < bytes[b].Length; offset += recordLength, sample++)
            {
                byte label = bytes[b][offset + labelBytes - 1];
                if (label >= classCount)
                    throw new DataFormatException($"{batches[b]}: record {offset / recordLength} has label {label}, not a class 0..{classCount - 1}");
                labels[sample] = label;
                var pixels = bytes[b].AsSpan(offset + labelBytes, Pixels);
                var target = features.AsSpan(sample * Pixels, Pixels);
                for (int p = 0; p < Pixels; p++) target[p] = pixels[p] / 255f;
            }
        }
        var classes = ClassNames(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(batches[0]))!, namesFile), classCount);
        return new SourceData(new Dataset(features, labels, [3, Side, Side], classes), [.. classes.Select(name => $"{path} ({name})")]);
    }

    /// <summary>CIFAR-100 by its file names, CIFAR-10 otherwise; null when the length fits neither record size.</summary>
    private static (int LabelBytes, int Classes, string NamesFile)? Variant(string file)
    {
        string name = Path.GetFileName(file).ToLowerInvariant();
        var variant = name is "train.bin" or "test.bin" ? (2, 100, "fine_label_names.txt") : (1, 10, "batches.meta.txt");
        long length = new FileInfo(file).Length;
        return name.StartsWith("data_batch", StringComparison.Ordinal) || name is "test_batch.bin" or "train.bin" or "test.bin"
               || (length > 0 && length % (variant.Item1 + Pixels) == 0)
            ? variant
            : null;
    }

    private static string[] TrainingBatches(string directory) =>
    [
        .. Directory.GetFiles(directory, "data_batch_*.bin").Order(StringComparer.Ordinal),
        .. Directory.GetFiles(directory, "train.bin"),
    ];

    private static IReadOnlyList<string> ClassNames(string namesFile, int classCount)
    {
        if (!File.Exists(namesFile)) return classCount == Cifar10Names.Length ? Cifar10Names : Dataset.NumberedClasses(classCount);
        string[] names = [.. File.ReadAllLines(namesFile).Select(line => line.Trim()).Where(line => line.Length > 0)];
        if (names.Length != classCount || names.Distinct().Count() != names.Length)
            throw new DataFormatException($"{namesFile} names {names.Length} classes (distinct: {names.Distinct().Count()}), the batches have {classCount}");
        return names;
    }
}
