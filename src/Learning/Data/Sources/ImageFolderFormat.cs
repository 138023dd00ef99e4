using System.Runtime.ExceptionServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace PoolCompress.Learning;

/// <summary>
/// A folder of class folders, <c>PATH/CLASS/*.png|jpg|jpeg</c>: the class is the folder's name. Decoded with
/// ImageSharp, which is managed code only, so it runs in any container without a native graphics library.
/// Images whose pixels are all grey-scale give one channel, otherwise three (RGB); all must share one size unless
/// <see cref="DataReadOptions.ImageSize"/> resizes them.
/// </summary>
internal sealed class ImageFolderFormat : IDataFormat
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public string Name => "image-folder";

    public bool Recognizes(string path) => Directory.Exists(path) && Directory.EnumerateDirectories(path).Any();

    public SourceData Read(string path, DataReadOptions options)
    {
        var files = Directory.GetDirectories(path).Order(StringComparer.Ordinal)
            .SelectMany(folder => Directory.GetFiles(folder).Where(IsImage).Order(StringComparer.Ordinal).Select(file => (Class: Path.GetFileName(folder), File: file)))
            .ToArray();
        if (files.Length == 0)
            throw new DataFormatException($"{path} holds no images: expected class folders with {string.Join("/", Extensions)} files, e.g. {path}/cat/1.png");

        var decoded = new DecodedImage[files.Length];
        try
        {
            Parallel.For(0, files.Length, i => decoded[i] = Decode(files[i].File, options.ImageSize));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<DataFormatException>().FirstOrDefault() is { } bad)
        {
            // Report one bad file as the reader of a single file would, not wrapped by the parallel loop.
            ExceptionDispatchInfo.Throw(bad);
        }
        var (height, width) = (decoded[0].Height, decoded[0].Width);
        int mixed = Array.FindIndex(decoded, image => (image.Height, image.Width) != (height, width));
        if (mixed >= 0)
            throw new DataFormatException(
                $"{files[mixed].File} is {decoded[mixed].Width}x{decoded[mixed].Height} but {files[0].File} is {width}x{height}: " +
                "images of mixed sizes (give an image size to resize them all)");

        int channels = decoded.All(image => image.IsGrey) ? 1 : 3;
        int length = channels * height * width;
        var features = new float[(long)files.Length * length];
        var labels = new byte[files.Length];
        var classes = new NamedClasses();
        for (int i = 0; i < files.Length; i++)
        {
            decoded[i].Pixels.AsSpan(0, length).CopyTo(features.AsSpan(i * length, length));
            labels[i] = classes.Index(files[i].Class, () => Path.Combine(path, files[i].Class));
        }
        return classes.Complete(features, labels, [channels, height, width]);
    }

    private static bool IsImage(string file) => Extensions.Contains(Path.GetExtension(file).ToLowerInvariant());

    /// <summary>Planar RGB floats in [0, 1] (channel 0 alone suffices when the image is grey).</summary>
    private static DecodedImage Decode(string file, (int Height, int Width)? size)
    {
        try
        {
            using var image = Image.Load<Rgb24>(file);
            if (size is var (height, width)) image.Mutate(x => x.Resize(width, height));
            int plane = image.Width * image.Height;
            var pixels = new float[3 * plane];
            bool grey = true;
            image.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        var p = row[x];
                        int at = y * row.Length + x;
                        pixels[at] = p.R / 255f;
                        pixels[plane + at] = p.G / 255f;
                        pixels[2 * plane + at] = p.B / 255f;
                        grey &= p.R == p.G && p.G == p.B;
                    }
                }
            });
            return new DecodedImage(pixels, image.Height, image.Width, grey);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidDataException or InvalidOperationException)
        {
            throw new DataFormatException($"{file} is not a readable image: {e.Message}", e);
        }
    }

    private sealed record DecodedImage(float[] Pixels, int Height, int Width, bool IsGrey);
}
