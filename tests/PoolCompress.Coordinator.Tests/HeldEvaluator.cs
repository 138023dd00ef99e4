using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Tests;

/// <summary>A central evaluation that starts when asked and finishes only when the test releases it.</summary>
internal sealed class HeldEvaluator : IGlobalModelEvaluator
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public void Release() => _released.TrySetResult();

    public async Task<EvaluationResult> EvaluateAsync(float[] weights)
    {
        _started.TrySetResult();
        await _released.Task;
        return new EvaluationResult(0.5, 1, 0.5, new double[10], 1);
    }
}
