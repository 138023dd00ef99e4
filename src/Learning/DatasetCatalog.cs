using System.Collections.Concurrent;

namespace PoolCompress.Learning;

/// <summary>The datasets a federation can name in its configuration.</summary>
public static class DatasetCatalog
{
    // A simulated federation reads the data for its coordinator (test set) and its clients (training shards), and a
    // study does so for every run: parse each source once per process. Datasets are only ever read.
    private static readonly ConcurrentDictionary<(string Name, string? DataDir, string? CacheDir), Lazy<MnistSplit>> Loaded = new();

    /// <summary>Real MNIST digits (the default), small generated digits for quick tests and smoke runs, or none.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist", "synthetic", NoData];

    /// <summary>No data at all: a coordinator without a test set, whose clients evaluate the model on their own data.</summary>
    public const string NoData = "none";

    public static MnistSplit Load(string name, string? dataDir, string? cacheDir)
    {
        if (!Names.Contains(name)) throw new ArgumentException($"dataset '{name}' is unknown; allowed: {string.Join(", ", Names)}");
        var key = (name, string.IsNullOrEmpty(dataDir) ? null : Path.GetFullPath(dataDir), string.IsNullOrEmpty(cacheDir) ? null : cacheDir);
        var split = Loaded.GetOrAdd(key, k => new Lazy<MnistSplit>(() => Read(k.Name, k.DataDir, k.CacheDir)));
        try
        {
            return split.Value;
        }
        catch
        {
            // A missing or malformed source may be fixed while the process lives (a study's next run): don't cache failure.
            Loaded.TryRemove(new KeyValuePair<(string, string?, string?), Lazy<MnistSplit>>(key, split));
            throw;
        }
    }

    private static MnistSplit Read(string name, string? dataDir, string? cacheDir) => name switch
    {
        "mnist" => MnistData.Load(dataDir, cacheDir ?? MnistData.DefaultCacheDir),
        NoData => new MnistSplit(new Dataset([], [], 28, 28), new Dataset([], [], 28, 28), NoData, NoData),
        _ => SyntheticDigits.Create(trainCount: 2_000, testCount: 500, seed: 7),
    };
}
