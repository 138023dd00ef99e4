namespace PoolCompress.Learning.Tests;

public sealed class MnistDataTests
{
    [Fact]
    public void Loads_train_and_t10k_IDX_files_plain_or_gzipped_from_a_data_directory()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), IdxFiles.Images(4, 28, 28, i => (byte)i));
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), IdxFiles.Labels(1, 2, 3, 4));
        File.WriteAllBytes(dir.File("t10k-images-idx3-ubyte.gz"), IdxFiles.Gzip(IdxFiles.Images(2, 28, 28, _ => 255)));
        File.WriteAllBytes(dir.File("t10k-labels-idx1-ubyte.gz"), IdxFiles.Gzip(IdxFiles.Labels(5, 6)));

        var split = MnistData.Load(dir.Path, cacheDir: dir.File("unused-cache"));

        Assert.Equal([1, 2, 3, 4], split.Train.Labels);
        Assert.Equal([5, 6], split.Test.Labels);
        Assert.All(split.Test.Images, pixel => Assert.Equal(1f, pixel));
        Assert.Contains(dir.Path, split.Source);
        Assert.False(Directory.Exists(dir.File("unused-cache")));
    }

    [Fact]
    public void Missing_IDX_file_names_the_file_and_the_directory()
    {
        using var dir = new TempDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => MnistData.Load(dir.Path, dir.Path));

        Assert.Contains("train-images-idx3-ubyte", error.Message);
        Assert.Contains(dir.Path, error.Message);
    }

    [Fact]
    public void Default_cache_dir_is_the_environment_variable_else_the_repository_data_folder()
    {
        string? original = Environment.GetEnvironmentVariable(MnistData.CacheDirVariable);
        try
        {
            Environment.SetEnvironmentVariable(MnistData.CacheDirVariable, null);
            string repositoryCache = MnistData.DefaultCacheDir;
            Environment.SetEnvironmentVariable(MnistData.CacheDirVariable, "/somewhere/else");

            Assert.Equal(".data", Path.GetFileName(repositoryCache));
            Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(repositoryCache)!, "PoolCompress.sln")));
            Assert.Equal("/somewhere/else", MnistData.DefaultCacheDir);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MnistData.CacheDirVariable, original);
        }
    }
}
