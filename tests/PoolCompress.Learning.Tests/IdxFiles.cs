using System.Buffers.Binary;
using System.IO.Compression;

namespace PoolCompress.Learning.Tests;

/// <summary>Builds small MNIST-style IDX files.</summary>
internal static class IdxFiles
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    public static byte[] Images(int count, int height, int width, Func<int, byte> pixel) =>
        Build(ImagesMagic, [count, height, width], [.. Enumerable.Range(0, count * height * width).Select(pixel)]);

    public static byte[] Labels(params byte[] labels) => Build(LabelsMagic, [labels.Length], labels);

    public static byte[] Build(int magic, int[] dims, byte[] payload)
    {
        var file = new byte[4 + 4 * dims.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + 4 * d), dims[d]);
        payload.CopyTo(file, 4 + 4 * dims.Length);
        return file;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(content);
        return compressed.ToArray();
    }
}
