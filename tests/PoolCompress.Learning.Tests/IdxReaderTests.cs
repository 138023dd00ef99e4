namespace PoolCompress.Learning.Tests;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_images_scaled_to_0_1_and_labels_from_plain_or_gzipped_files(bool gzip)
    {
        byte[] images = IdxFiles.Images(count: 3, height: 2, width: 4, pixel: i => (byte)(i * 10));
        byte[] labels = IdxFiles.Labels(0, 9, 4);
        string imagesPath = Write("images", gzip ? IdxFiles.Gzip(images) : images);
        string labelsPath = Write("labels", gzip ? IdxFiles.Gzip(labels) : labels);

        var data = IdxReader.Read(imagesPath, labelsPath);

        Assert.Equal((3, 2, 4), (data.Count, data.Height, data.Width));
        Assert.Equal([0, 9, 4], data.Labels);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => i * 10 / 255f), data.Images);
    }

    [Fact]
    public void Truncated_image_file_is_a_DataFormatException_naming_the_file()
    {
        byte[] images = IdxFiles.Images(3, 2, 2, _ => 1);
        string imagesPath = Write("truncated-images", images[..^1]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, Write("labels", IdxFiles.Labels(1, 2, 3))));

        Assert.Contains(imagesPath, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_a_DataFormatException()
    {
        byte[] gzipped = IdxFiles.Gzip(IdxFiles.Images(50, 28, 28, i => (byte)i));
        string imagesPath = Write("cut.gz", gzipped[..(gzipped.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, Write("labels", IdxFiles.Labels(new byte[50]))));

        Assert.Contains(imagesPath, error.Message);
    }

    [Fact]
    public void Labels_file_given_as_images_is_rejected_by_its_magic_number()
    {
        string labelsPath = Write("labels", IdxFiles.Labels(1, 2));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(labelsPath, labelsPath));

        Assert.Contains("magic", error.Message);
        Assert.Contains(labelsPath, error.Message);
    }

    [Fact]
    public void Header_shorter_than_its_dimensions_is_truncated()
    {
        string imagesPath = Write("header", IdxFiles.Build(IdxFiles.ImagesMagic, [1, 2, 3], [])[..10]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, Write("labels", IdxFiles.Labels(1))));

        Assert.Contains("header", error.Message);
    }

    [Fact]
    public void Trailing_bytes_and_image_label_count_mismatch_are_rejected()
    {
        string images = Write("images", IdxFiles.Images(2, 1, 1, _ => 0));

        Assert.Contains("after", Assert.Throws<DataFormatException>(
            () => IdxReader.Read(Write("long", [.. IdxFiles.Images(2, 1, 1, _ => 0), 0]), Write("l2", IdxFiles.Labels(1, 2)))).Message);
        Assert.Contains("3 labels", Assert.Throws<DataFormatException>(
            () => IdxReader.Read(images, Write("l3", IdxFiles.Labels(1, 2, 3)))).Message);
    }

    [Fact]
    public void Class_count_and_image_size_are_read_from_the_files()
    {
        var data = IdxReader.Read(Write("images", IdxFiles.Images(2, 5, 3, _ => 0)), Write("labels", IdxFiles.Labels(1, 14)));

        Assert.Equal([1, 5, 3], data.Shape);
        Assert.Equal(15, data.ClassCount);
        Assert.Equal("14", data.Classes[14]);
    }

    private string Write(string name, byte[] content)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
