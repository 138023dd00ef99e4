using System.Collections.Concurrent;
using PoolCompress.Learning;

namespace PoolCompress.Client;

/// <summary>
/// Limits how many clients of one process train at once. TorchSharp already spreads one training step over all
/// cores, so running more side by side only adds contention and memory. Each slot trains on its own long-lived
/// <see cref="TorchThread"/>, never on thread-pool threads.
/// </summary>
public sealed class TrainingGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TorchThread[] _threads;
    private readonly ConcurrentQueue<TorchThread> _idle;

    public TrainingGate(int concurrency = 1)
    {
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _threads = Enumerable.Range(0, concurrency).Select(i => new TorchThread($"training-{i}")).ToArray();
        _idle = new ConcurrentQueue<TorchThread>(_threads);
    }

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        _idle.TryDequeue(out var thread);
        try
        {
            return await thread!.RunAsync(work, cancellationToken);
        }
        finally
        {
            _idle.Enqueue(thread!);
            _slots.Release();
        }
    }

    public void Dispose()
    {
        foreach (var thread in _threads) thread.Dispose();
        _slots.Dispose();
    }
}
