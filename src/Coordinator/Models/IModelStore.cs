namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Where global model versions live, so that grain state only references them by version and stays small.
/// </summary>
public interface IModelStore
{
    Task SaveAsync(string series, long version, ReadOnlyMemory<float> weights, CancellationToken cancellationToken = default);

    /// <summary>Returns the stored weights, or null when that version was never saved.</summary>
    Task<float[]?> LoadAsync(string series, long version, CancellationToken cancellationToken = default);
}
