namespace PoolCompress.Learning;

/// <summary>The datasets a federation can name in its configuration.</summary>
public static class DatasetCatalog
{
    /// <summary>Real MNIST digits (the default), or small generated digits for quick tests and smoke runs.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist", "synthetic"];

    public static MnistSplit Load(string name, string? dataDir, string? cacheDir) => name switch
    {
        "mnist" => MnistData.Load(dataDir, cacheDir ?? MnistData.DefaultCacheDir),
        "synthetic" => SyntheticDigits.Create(trainCount: 2_000, testCount: 500, seed: 7),
        _ => throw new ArgumentException($"dataset '{name}' is unknown; allowed: {string.Join(", ", Names)}"),
    };
}
