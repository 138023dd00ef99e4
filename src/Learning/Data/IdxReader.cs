using System.Buffers.Binary;
using System.IO.Compression;

namespace PoolCompress.Learning;

/// <summary>
/// Reads IDX image and label files (the MNIST layout, optionally gzip-compressed) into a <see cref="Dataset"/>:
/// any image size, and as many classes as the largest label says.
/// </summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803; // unsigned bytes, 3 dimensions
    private const int LabelsMagic = 0x00000801; // unsigned bytes, 1 dimension

    public static Dataset Read(string imagesPath, string labelsPath)
    {
        var (imageBytes, imageDims) = ReadIdx(imagesPath, ImagesMagic);
        var (labels, labelDims) = ReadIdx(labelsPath, LabelsMagic);
        int count = imageDims[0], height = imageDims[1], width = imageDims[2];
        if (labelDims[0] != count)
            throw new DataFormatException($"{imagesPath} holds {count} images but {labelsPath} holds {labelDims[0]} labels");

        var pixels = new float[imageBytes.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = imageBytes[i] / 255f;
        int classes = labels.Length == 0 ? 1 : labels.Max() + 1;
        return new Dataset(pixels, labels, [1, height, width], Dataset.NumberedClasses(classes));
    }

    /// <summary>Whether <paramref name="path"/> starts with the IDX image magic number, plain or gzip-compressed.</summary>
    public static bool IsImagesFile(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> start = stackalloc byte[4];
            if (file.ReadAtLeast(start, 4, throwOnEndOfStream: false) < 4) return false;
            if (start[0] != 0x1f || start[1] != 0x8b) return BinaryPrimitives.ReadInt32BigEndian(start) == ImagesMagic;
            file.Position = 0;
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            return gzip.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && BinaryPrimitives.ReadInt32BigEndian(start) == ImagesMagic;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Returns the payload (exactly the size the header promises) and the dimensions.</summary>
    private static (byte[] Payload, int[] Dims) ReadIdx(string path, int expectedMagic)
    {
        byte[] file = Decompress(path, File.ReadAllBytes(path));
        int dimCount = expectedMagic & 0xff;
        int headerLength = 4 + 4 * dimCount;
        int magic = file.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(file) : 0;
        if (file.Length >= 4 && magic != expectedMagic)
            throw new DataFormatException($"{path} has IDX magic 0x{magic:x8}, expected 0x{expectedMagic:x8}");
        if (file.Length < headerLength)
            throw new DataFormatException($"{path} is truncated: {file.Length} bytes is shorter than the {headerLength}-byte IDX header");

        var dims = new int[dimCount];
        long payloadLength = 1;
        for (int d = 0; d < dimCount; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4 + 4 * d));
            if (dims[d] < (d == 0 ? 0 : 1))
                throw new DataFormatException($"{path} declares an invalid size {dims[d]} for dimension {d}");
            payloadLength *= dims[d];
        }
        long actual = file.Length - headerLength;
        if (actual < payloadLength)
            throw new DataFormatException($"{path} is truncated: its header promises {payloadLength} data bytes but it holds {actual}");
        if (actual > payloadLength)
            throw new DataFormatException($"{path} has {actual - payloadLength} bytes after the {payloadLength} its header promises");
        return (file[headerLength..], dims);
    }

    /// <summary>Recognises gzip by its magic bytes rather than the file name, so renamed files still load.</summary>
    private static byte[] Decompress(string path, byte[] file)
    {
        if (file.Length < 2 || file[0] != 0x1f || file[1] != 0x8b) return file;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path} is not a valid gzip stream: {e.Message}", e);
        }
    }
}
