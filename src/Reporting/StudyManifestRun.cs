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

    /// <summary>The run's strategy; absent from manifests written before it was recorded.</summary>
    public string Strategy { get; init; } = "fedavg";

    /// <summary>The run's server-side clip norm, or null for none.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Which clients attacked and how (e.g. signflip:scale=10@0,1), or null when all were honest.</summary>
    public string? Attack { get; init; }

    public bool IsReference => Id == ReferenceId;
}
