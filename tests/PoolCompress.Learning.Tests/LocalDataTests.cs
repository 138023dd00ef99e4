namespace PoolCompress.Learning.Tests;

public sealed class LocalDataTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Csv(string name, string content)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private string Rows(string name, int count, params string[] labels) =>
        Csv(name, "a,b,label\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{i},{-i},{labels[i % labels.Length]}\n")));

    [Fact]
    public void Several_paths_join_with_the_union_of_their_classes()
    {
        var data = LocalData.Load([Rows("one.csv", 2, "cat"), Rows("two.csv", 3, "ant", "dog")], new DataReadOptions(), 0, seed: 1);

        Assert.Equal(["ant", "cat", "dog"], data.Train.Classes);
        Assert.Equal(5, data.Train.Count);
        Assert.Equal(0, data.Validation.Count);
        Assert.Equal(["csv", "csv"], data.Sources.Select(s => s.Format));
        Assert.Equal([2, 3], data.Sources.Select(s => s.Samples));
        Assert.Equal(2, data.Train.Labels.Count(l => l == 1));
    }

    [Fact]
    public void Validation_split_is_seeded_and_disjoint()
    {
        string path = Rows("site.csv", 40, "x", "y");

        var first = LocalData.Load([path], new DataReadOptions(), 0.25, seed: 3);
        var again = LocalData.Load([path], new DataReadOptions(), 0.25, seed: 3);
        var other = LocalData.Load([path], new DataReadOptions(), 0.25, seed: 4);

        Assert.Equal((30, 10), (first.Train.Count, first.Validation.Count));
        Assert.Equal(first.Validation.Images, again.Validation.Images);
        Assert.NotEqual(first.Validation.Images, other.Validation.Images);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), first.Train.Images.Where((_, i) => i % 2 == 0).Concat(first.Validation.Images.Where((_, i) => i % 2 == 0)).Order());
    }

    [Fact]
    public void Paths_of_different_sample_shapes_are_refused()
    {
        string narrow = Csv("narrow.csv", "a,label\n1,x\n");
        string wide = Rows("wide.csv", 1, "x");

        var error = Assert.Throws<DataFormatException>(() => LocalData.Load([wide, narrow], new DataReadOptions(), 0, 1));

        Assert.Contains(narrow, error.Message);
        Assert.Contains("shape 1", error.Message);
    }

    [Fact]
    public void Check_names_the_file_and_row_of_a_class_the_federation_lacks_and_a_shape_that_differs()
    {
        string path = Csv("site.csv", "a,b,label\n1,2,cat\n3,4,cow\n");
        var data = LocalData.Load([path], new DataReadOptions(), 0, 1);

        data.Check(new DataSpec([2], ["cat", "cow", "dog"]));
        var unknown = Assert.Throws<DataFormatException>(() => data.Check(new DataSpec([2], ["cat", "dog"])));
        var shape = Assert.Throws<DataFormatException>(() => data.Check(new DataSpec([3], ["cat", "cow"])));

        Assert.Contains($"'cow' in {path} row 3", unknown.Message);
        Assert.Contains("its samples are 2, the federation's are 3", shape.Message);
    }

    [Fact]
    public void WithClasses_renumbers_labels_by_name_and_refuses_unknown_names()
    {
        var data = new Dataset([1f, 2f, 3f], [0, 1, 0], [1], ["b", "c"]);

        var aligned = data.WithClasses(["a", "b", "c"]);

        Assert.Equal([1, 2, 1], aligned.Labels);
        Assert.Equal(3, aligned.ClassCount);
        Assert.Contains("'c'", Assert.Throws<DataFormatException>(() => data.WithClasses(["a", "b"])).Message);
    }

    [Theory]
    [InlineData("3x32x32", "cat,dog", "3x32x32", 2)]
    [InlineData(null, "4", "1x28x28", 4)]
    [InlineData("20", null, "20", 10)]
    public void DataSpec_parses_shape_and_classes_over_a_fallback(string? shape, string? classes, string expectedShape, int expectedClasses)
    {
        var spec = DataSpec.Parse(shape, classes, DataSpec.Digits);

        Assert.Equal(expectedShape, InputShape.Format(spec.InputShape));
        Assert.Equal(expectedClasses, spec.Classes.Count);
    }

    [Theory]
    [InlineData("3x0x2", null)]
    [InlineData(null, "a,,b")]
    [InlineData(null, "a,b,a")]
    [InlineData(null, "0")]
    public void DataSpec_refuses_bad_shapes_and_class_lists(string? shape, string? classes) =>
        Assert.Throws<ArgumentException>(() => DataSpec.Parse(shape, classes, DataSpec.Digits));
}
