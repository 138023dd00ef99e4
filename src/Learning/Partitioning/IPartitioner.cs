namespace PoolCompress.Learning;

/// <summary>Splits a training set among federated clients.</summary>
public interface IPartitioner
{
    /// <summary>The canonical spec this partitioner was parsed from, e.g. <c>dirichlet:0.1</c>.</summary>
    string Spec { get; }

    /// <summary>Sample indices per client (disjoint, covering every sample); the same seed gives the same split, and no client is empty.</summary>
    int[][] Partition(ReadOnlySpan<byte> labels, int clients, int seed);
}
