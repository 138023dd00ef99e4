namespace PoolCompress.Learning;

/// <summary>
/// Labelled samples: float32 features, row-major N x <see cref="Shape"/> (C x H x W for images with pixels in
/// [0, 1], F for table rows), and labels indexing <see cref="Classes"/>.
/// </summary>
/// <remarks>The arrays are taken over, not copied: callers must not change them afterwards.</remarks>
public sealed class Dataset
{
    /// <summary>The ten digit classes of MNIST and of the generated digits, named by their digit.</summary>
    public static IReadOnlyList<string> DigitClasses { get; } = NumberedClasses(10);

    /// <summary>Grey-scale height x width images of the ten digit classes.</summary>
    public Dataset(float[] images, byte[] labels, int height, int width)
        : this(images, labels, [1, height, width], DigitClasses)
    {
    }

    public Dataset(float[] features, byte[] labels, IReadOnlyList<int> shape, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(classes);
        if (shape.Count == 0 || shape.Any(size => size < 1))
            throw new ArgumentException($"sample shape {InputShape.Format(shape)} must have at least one dimension, each at least 1", nameof(shape));
        if (classes.Count is < 1 or > 256)
            throw new ArgumentException($"{classes.Count} classes: a dataset has 1 to 256", nameof(classes));
        long sampleLength = shape.Aggregate(1L, (product, size) => product * size);
        if (features.LongLength != labels.Length * sampleLength)
            throw new ArgumentException(
                $"{labels.Length} labels of {InputShape.Format(shape)} samples need {labels.Length * sampleLength} values, not {features.Length}",
                nameof(features));
        int outOfRange = classes.Count == 256 ? -1 : labels.AsSpan().IndexOfAnyInRange((byte)classes.Count, byte.MaxValue);
        if (outOfRange >= 0)
            throw new ArgumentException($"label {labels[outOfRange]} at index {outOfRange} is not a class 0..{classes.Count - 1}", nameof(labels));

        Images = features;
        Labels = labels;
        Shape = [.. shape];
        Classes = [.. classes];
        SampleLength = checked((int)sampleLength);
    }

    /// <summary>The features of every sample, one after the other (images' pixels, table rows' values).</summary>
    public float[] Images { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;

    /// <summary>One sample's shape: C x H x W for images, F for table rows.</summary>
    public IReadOnlyList<int> Shape { get; }
    public IReadOnlyList<string> Classes { get; }
    public int ClassCount => Classes.Count;
    public int SampleLength { get; }

    /// <summary>Image height (1 for table rows, which read as one row of F values).</summary>
    public int Height => Shape.Count >= 2 ? Shape[^2] : 1;
    public int Width => Shape[^1];

    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * SampleLength, SampleLength);

    /// <summary>A copy holding the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new float[indices.Count * SampleLength];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int source = indices[i];
            if ((uint)source >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {source} is outside the {Count} samples");
            Image(source).CopyTo(features.AsSpan(i * SampleLength));
            labels[i] = Labels[source];
        }
        return new Dataset(features, labels, Shape, Classes);
    }

    /// <summary>
    /// The same samples read as <paramref name="shape"/>: table rows of F values as images whose C x H x W is F. This
    /// dataset itself when its samples are not rows or their length does not fit (the federation then names the difference).
    /// </summary>
    public Dataset AsShape(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        bool fits = Shape.Count == 1 && !shape.SequenceEqual(Shape) && shape.Aggregate(1L, (product, size) => product * size) == SampleLength;
        return fits ? new Dataset(Images, Labels, shape, Classes) : this;
    }

    /// <summary>
    /// The same samples with labels renumbered to index <paramref name="classes"/>, matched by class name: a site
    /// that holds only some of the federation's classes numbers them as the federation does.
    /// </summary>
    /// <exception cref="DataFormatException">A class of this dataset is not among <paramref name="classes"/>.</exception>
    public Dataset WithClasses(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.SequenceEqual(Classes)) return this;
        var index = classes.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => (byte)c.i, StringComparer.Ordinal);
        var unknown = Classes.Where(name => !index.ContainsKey(name)).ToArray();
        if (unknown.Length > 0)
            throw new DataFormatException(
                $"class(es) {string.Join(", ", unknown.Select(n => $"'{n}'"))} are not among the federation's {classes.Count}: {string.Join(", ", classes)}");
        var map = Classes.Select(name => index[name]).ToArray();
        return new Dataset(Images, [.. Labels.Select(label => map[label])], Shape, classes);
    }

    /// <summary>Classes named "0", "1", ... for data whose labels are bare numbers.</summary>
    public static IReadOnlyList<string> NumberedClasses(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}
