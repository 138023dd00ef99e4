namespace PoolCompress.Compression.Codecs;

/// <summary>Where a stage may stand in a chain; the parser's order rules and its messages' lists of names follow from it.</summary>
public enum StageRole
{
    /// <summary>Codes the values it is given and ends the chain (<c>none</c>, <c>q</c>); also codes tensors sent whole.</summary>
    ValueCoder,

    /// <summary>Keeps some elements and hands them on as a flat vector, which has no rows or matrix left.</summary>
    Sparsifier,

    /// <summary>A sparsifier that selects across the whole update, so it must come first (<c>topk:F:global</c>).</summary>
    GlobalSparsifier,

    /// <summary>Pools windows of a tensor's rows, so it must come before any sparsifier.</summary>
    Pooler,

    /// <summary>Factors a matrix, so it must come before any sparsifier, and only a value coder may code its factors.</summary>
    LowRank,
}
