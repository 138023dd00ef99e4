using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace PoolCompress.Learning;

/// <summary>
/// Writes grey-scale image data as a site would hold it, in the formats the readers take: IDX files, a folder of class
/// folders of PNG images, or a CSV table of pixel columns. For examples and tests of federations across sites.
/// </summary>
public static class SiteFiles
{
    /// <summary>Writes <c>DIR/train-images-idx3-ubyte</c> and <c>DIR/train-labels-idx1-ubyte</c>.</summary>
    public static void WriteIdx(Dataset data, string directory) => WriteIdx(data, directory, "train");

    /// <summary>Writes <c>DIR/SET-images-idx3-ubyte</c> and <c>DIR/SET-labels-idx1-ubyte</c>; MNIST's sets are <c>train</c> and <c>t10k</c>.</summary>
    public static void WriteIdx(Dataset data, string directory, string set)
    {
        RequireGreyImages(data);
        Directory.CreateDirectory(directory);
        var images = new byte[16 + data.Images.Length];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), data.Count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), data.Height);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), data.Width);
        for (int i = 0; i < data.Images.Length; i++) images[16 + i] = Pixel(data.Images[i]);
        var labels = new byte[8 + data.Count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), data.Count);
        data.Labels.CopyTo(labels, 8);
        File.WriteAllBytes(Path.Combine(directory, $"{set}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(directory, $"{set}-labels-idx1-ubyte"), labels);
    }

    /// <summary>Writes <c>DIR/CLASS/N.png</c> for every sample N.</summary>
    public static void WriteImageFolder(Dataset data, string directory)
    {
        RequireGreyImages(data);
        for (int i = 0; i < data.Count; i++)
        {
            string folder = Directory.CreateDirectory(Path.Combine(directory, data.Classes[data.Labels[i]])).FullName;
            var pixels = data.Image(i);
            using var image = new Image<L8>(data.Width, data.Height);
            for (int y = 0; y < data.Height; y++)
                for (int x = 0; x < data.Width; x++)
                    image[x, y] = new L8(Pixel(pixels[y * data.Width + x]));
            image.SaveAsPng(Path.Combine(folder, i.ToString("D5", CultureInfo.InvariantCulture) + ".png"));
        }
    }

    /// <summary>Writes a CSV table: a <c>label</c> column with the class names, then one column per feature (p0, p1, ...).</summary>
    public static void WriteCsv(Dataset data, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var csv = new StringBuilder("label");
        for (int f = 0; f < data.SampleLength; f++) csv.Append(CultureInfo.InvariantCulture, $",p{f}");
        csv.AppendLine();
        for (int i = 0; i < data.Count; i++)
        {
            csv.Append(data.Classes[data.Labels[i]]);
            foreach (float value in data.Image(i)) csv.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            csv.AppendLine();
        }
        File.WriteAllText(path, csv.ToString());
    }

    private static byte Pixel(float value) => (byte)Math.Clamp(MathF.Round(value * 255), 0, 255);

    private static void RequireGreyImages(Dataset data)
    {
        if (data.Shape.Count != 3 || data.Shape[0] != 1)
            throw new ArgumentException($"samples of shape {InputShape.Format(data.Shape)} are not grey-scale images (1xHxW)", nameof(data));
    }
}
