namespace PoolCompress.Reporting;

/// <summary>One planned run of a study: its grid point and the dense run it is compared with.</summary>
public sealed record StudyManifestRun(
    string Id,
    string ReferenceId,
    string Model,
    string? HeadPool,
    string Partition,
    string Codec,
    long Seed)
{
    /// <summary>The downlink codec of the run; absent from manifests written before it was recorded.</summary>
    public string DownlinkCodec { get; init; } = "none";

    public bool IsReference => Id == ReferenceId;
}
