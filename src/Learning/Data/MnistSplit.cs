namespace PoolCompress.Learning;

/// <summary>A training and a test set, with a human-readable account of where they came from and their format (npm, idx, synthetic).</summary>
public sealed record MnistSplit(Dataset Train, Dataset Test, string Source, string Format);
