using PoolCompress.Contracts;

namespace PoolCompress.Study;

/// <summary>One federation of a study, ready for the runner.</summary>
/// <param name="Id">Stable and file-system safe, e.g. <c>cnn-avg2__dirichlet0.3__topk0.01-q4__s1</c>; also the federation id.</param>
/// <param name="DataDir">MNIST IDX folder (absolute), or null for the default digits.</param>
/// <param name="ReferenceId">The dense run (codec none, plain head, same model, partition and seed) this run is compared with.</param>
public sealed record StudyRun(string Id, FederationSettings Settings, string? DataDir, StudyLinks Links, string ReferenceId)
{
    public bool IsReference => Id == ReferenceId;
}
