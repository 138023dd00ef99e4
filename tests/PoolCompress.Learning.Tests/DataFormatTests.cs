using SixLabors.ImageSharp.PixelFormats;

namespace PoolCompress.Learning.Tests;

public sealed class DataFormatTests : IDisposable
{
    private static readonly DataReadOptions Defaults = new();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static SourceData Read(string path, DataReadOptions? options = null) => DataFormats.Detect(path).Read(path, options ?? Defaults);

    private string Write(string name, byte[] content)
    {
        string path = _dir.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string WriteText(string name, string content) => Write(name, System.Text.Encoding.UTF8.GetBytes(content));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_images_file_is_detected_by_content_and_read_with_its_labels_file(bool gzip)
    {
        byte[] images = IdxFiles.Images(3, 4, 5, i => (byte)i), labels = IdxFiles.Labels(2, 0, 11);
        string suffix = gzip ? ".gz" : "";
        string path = Write("site-images-idx3-ubyte" + suffix, gzip ? IdxFiles.Gzip(images) : images);
        Write("site-labels-idx1-ubyte" + suffix, gzip ? IdxFiles.Gzip(labels) : labels);

        Assert.Equal("idx", DataFormats.Detect(path).Name);
        Assert.Equal("idx", DataFormats.Detect(_dir.Path).Name);
        var data = Read(path).Data;

        Assert.Equal([1, 4, 5], data.Shape);
        Assert.Equal(12, data.ClassCount);
        Assert.Equal([2, 0, 11], data.Labels);
    }

    [Fact]
    public void Idx_images_file_without_a_labels_file_is_named()
    {
        string path = Write("lonely-images-idx3-ubyte", IdxFiles.Images(1, 2, 2, _ => 0));

        var error = Assert.Throws<DataFormatException>(() => Read(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("labels", error.Message);
    }

    [Fact]
    public void Cifar10_batches_give_3x32x32_planar_images_and_the_ten_class_names()
    {
        Write("cifar/data_batch_1.bin", DataFiles.Cifar10(3, 9));
        Write("cifar/data_batch_2.bin", DataFiles.Cifar10(0));
        Write("cifar/test_batch.bin", DataFiles.Cifar10(1));

        var data = Read(_dir.File("cifar")).Data;

        Assert.Equal([3, 32, 32], data.Shape);
        Assert.Equal([3, 9, 0], data.Labels);
        Assert.Equal("cat", data.Classes[3]);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(30 / 255f, data.Image(0)[0]);
        Assert.Equal(32 / 255f, data.Image(0)[2 * 1024]);
    }

    [Fact]
    public void Cifar100_records_carry_a_coarse_then_a_fine_label_and_names_come_from_beside_the_batch()
    {
        var record = new byte[3074];
        record[0] = 4;
        record[1] = 57;
        string path = Write("c100/train.bin", [.. record, .. record]);
        WriteText("c100/fine_label_names.txt", string.Join('\n', Enumerable.Range(0, 100).Select(i => $"class{i}")));

        var data = Read(path).Data;

        Assert.Equal(100, data.ClassCount);
        Assert.Equal([57, 57], data.Labels);
        Assert.Equal("class57", data.Classes[57]);
    }

    [Fact]
    public void Truncated_cifar_batch_and_out_of_range_label_name_the_file_and_record()
    {
        string truncated = Write("data_batch_1.bin", DataFiles.Cifar10(1, 2)[..^5]);
        string badLabel = Write("bad/data_batch_1.bin", DataFiles.Cifar10(1, 12));

        var cut = Assert.Throws<DataFormatException>(() => Read(truncated));
        var label = Assert.Throws<DataFormatException>(() => Read(badLabel));

        Assert.Contains(truncated, cut.Message);
        Assert.Contains("truncated", cut.Message);
        Assert.Contains(badLabel, label.Message);
        Assert.Contains("record 1 has label 12", label.Message);
    }

    [Fact]
    public void Image_folder_classes_are_folder_names_and_colour_images_give_three_channels()
    {
        DataFiles.Png(_dir.File("pics/dog/a.png"), 6, 4, new Rgb24(255, 0, 0));
        DataFiles.Png(_dir.File("pics/cat/b.png"), 6, 4, new Rgb24(0, 0, 255));
        DataFiles.Jpeg(_dir.File("pics/cat/c.jpg"), 6, 4, new Rgb24(0, 0, 255));
        WriteText("pics/cat/notes.txt", "not an image");

        var data = Read(_dir.File("pics")).Data;

        Assert.Equal("image-folder", DataFormats.Detect(_dir.File("pics")).Name);
        Assert.Equal(["cat", "dog"], data.Classes);
        Assert.Equal([0, 0, 1], data.Labels.Order().ToArray());
        Assert.Equal([3, 4, 6], data.Shape);
        var dog = data.Image(Array.IndexOf(data.Labels, (byte)1));
        Assert.Equal((1f, 0f, 0f), (dog[0], dog[24], dog[48]));
    }

    [Fact]
    public void Grey_images_give_one_channel_and_an_image_size_resizes_mixed_sizes()
    {
        DataFiles.Png(_dir.File("grey/0/a.png"), 8, 8, new Rgb24(128, 128, 128));
        DataFiles.Png(_dir.File("grey/1/b.png"), 5, 7, new Rgb24(10, 10, 10));

        var error = Assert.Throws<DataFormatException>(() => Read(_dir.File("grey")));
        var resized = Read(_dir.File("grey"), new DataReadOptions { ImageSize = (4, 3) }).Data;

        Assert.Contains(_dir.File("grey/1/b.png"), error.Message);
        Assert.Contains("mixed sizes", error.Message);
        Assert.Equal([1, 4, 3], resized.Shape);
        Assert.Equal(128 / 255f, resized.Image(0)[0], 0.01f);
    }

    [Fact]
    public void Folder_with_no_images_and_a_corrupt_image_are_named()
    {
        WriteText("empty/cat/readme.txt", "no pictures here");
        DataFiles.Png(_dir.File("broken/cat/good.png"), 2, 2, new Rgb24(1, 2, 3));
        string corrupt = Write("broken/dog/bad.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var empty = Assert.Throws<DataFormatException>(() => Read(_dir.File("empty")));
        var broken = Assert.Throws<DataFormatException>(() => Read(_dir.File("broken")));

        Assert.Contains(_dir.File("empty"), empty.Message);
        Assert.Contains("no images", empty.Message);
        Assert.Contains(corrupt, broken.Message);
    }

    [Fact]
    public void Csv_reads_numeric_features_and_names_its_classes_in_numeric_order()
    {
        string path = WriteText("site.csv", "x1,label,x2\n0.5,10,1\n-2,9,3e1\n7,10,0\n");

        var data = Read(path).Data;

        Assert.Equal([2], data.Shape);
        Assert.Equal(["9", "10"], data.Classes);
        Assert.Equal([1, 0, 1], data.Labels);
        Assert.Equal([0.5f, 1f, -2f, 30f, 7f, 0f], data.Images);
    }

    [Theory]
    [InlineData("x1,label\n1,a\nabc,b\n", "row 3: column 'x1' is 'abc', not a number")]
    [InlineData("x1,label\n1,a\nNaN,b\n", "row 3: column 'x1' is NaN, not a finite number")]
    [InlineData("x1,label\n1,a\n2,\n", "row 3: the label is empty")]
    [InlineData("x1,label\n1,a\n2,b,3\n", "row 3: 3 fields")]
    [InlineData("x1,y\n1,a\n", "no label column 'label'")]
    [InlineData("x1,label\n", "no data rows")]
    public void Bad_csv_names_the_file_row_and_column(string content, string expected)
    {
        string path = WriteText("bad.csv", content);

        var error = Assert.Throws<DataFormatException>(() => Read(path));

        Assert.StartsWith(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Parquet_reads_like_csv_and_a_corrupt_file_is_named()
    {
        string path = _dir.File("site.parquet");
        await DataFiles.ParquetAsync(path, [[1f, 2f, 3f], [4f, 5f, 6f]], ["b", "a", "b"]);
        string corrupt = Write("corrupt.parquet", [.. "PAR1"u8, 1, 2, 3, .. "PAR1"u8]);

        var data = Read(path).Data;
        var error = Assert.Throws<DataFormatException>(() => Read(corrupt));

        Assert.Equal([2], data.Shape);
        Assert.Equal(["a", "b"], data.Classes);
        Assert.Equal([1, 0, 1], data.Labels);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], data.Images);
        Assert.Contains(corrupt, error.Message);
    }

    [Fact]
    public void Unrecognised_file_and_missing_path_are_named()
    {
        string text = WriteText("notes.txt", "hello");

        Assert.Contains(text, Assert.Throws<DataFormatException>(() => DataFormats.Detect(text)).Message);
        Assert.Contains("nope", Assert.Throws<FileNotFoundException>(() => DataFormats.Detect(_dir.File("nope"))).Message);
    }
}
