namespace PoolCompress.Learning;

/// <summary>How a pooled head reduces each body feature map before its fully connected layers.</summary>
internal enum HeadPoolKind
{
    Avg,
    Max,
    /// <summary>Root of the mean square: between average (p = 1) and max (p = infinity) pooling.</summary>
    L2,
    /// <summary>A learned blend alpha * max + (1 - alpha) * avg.</summary>
    Mixed,
    /// <summary>Spatial pyramid: max pools at several grid sizes, concatenated.</summary>
    Spp,
}
