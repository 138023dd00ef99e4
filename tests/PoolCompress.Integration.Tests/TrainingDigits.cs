using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>The synthetic digits that in-process clients train on.</summary>
internal static class TrainingDigits
{
    /// <summary>All 2,000 training digits: for tests about what a federation learns.</summary>
    public static Dataset All => DatasetCatalog.Load("synthetic", null, null).Train;

    /// <summary>
    /// The first 300: every shard still takes a few training steps, for tests about the protocol, the wire or the
    /// bookkeeping, whose assertions do not depend on how much the model learns (training is most of a test's time).
    /// </summary>
    public static Dataset Few { get; } = All.Subset([.. Enumerable.Range(0, 300)]);
}
