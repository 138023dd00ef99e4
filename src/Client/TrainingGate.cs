namespace PoolCompress.Client;

/// <summary>
/// Limits how many clients of one process train at once. TorchSharp already spreads one training step over all
/// cores, so running more side by side only adds contention and memory.
/// </summary>
public sealed class TrainingGate(int concurrency = 1)
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(work, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
