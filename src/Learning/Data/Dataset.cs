namespace PoolCompress.Learning;

/// <summary>Labelled grey-scale images: float32 pixels in [0, 1], row-major N x Height x Width, labels 0..9.</summary>
/// <remarks>The arrays are taken over, not copied: callers must not change them afterwards.</remarks>
public sealed class Dataset
{
    /// <summary>Labels run from 0 to <c>ClassCount - 1</c>.</summary>
    public const int ClassCount = 10;

    public Dataset(float[] images, byte[] labels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (images.LongLength != (long)labels.Length * height * width)
            throw new ArgumentException(
                $"{labels.Length} labels of {height}x{width} images need {(long)labels.Length * height * width} pixels, not {images.Length}",
                nameof(images));
        int outOfRange = labels.AsSpan().IndexOfAnyInRange((byte)ClassCount, byte.MaxValue);
        if (outOfRange >= 0)
            throw new ArgumentException($"label {labels[outOfRange]} at index {outOfRange} is not a class 0..{ClassCount - 1}", nameof(labels));

        Images = images;
        Labels = labels;
        Height = height;
        Width = width;
    }

    public float[] Images { get; }
    public byte[] Labels { get; }
    public int Count => Labels.Length;
    public int Height { get; }
    public int Width { get; }
    public int PixelsPerImage => Height * Width;

    public ReadOnlySpan<float> Image(int index) => Images.AsSpan(index * PixelsPerImage, PixelsPerImage);

    /// <summary>A copy holding the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var images = new float[indices.Count * PixelsPerImage];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int source = indices[i];
            if ((uint)source >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {source} is outside the {Count} samples");
            Image(source).CopyTo(images.AsSpan(i * PixelsPerImage));
            labels[i] = Labels[source];
        }
        return new Dataset(images, labels, Height, Width);
    }
}
