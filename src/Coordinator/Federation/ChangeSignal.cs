namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// A version that moves whenever what clients should do changes, and a wait for the next move, so that a client's
/// long poll returns as soon as there is something new for it (or at its timeout).
/// </summary>
internal sealed class ChangeSignal(TimeProvider time)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Version { get; private set; }

    public void Signal()
    {
        Version++;
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    /// <summary>Returns at the next change, or at once when <paramref name="knownVersion"/> is already behind, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(long knownVersion, TimeSpan timeout)
    {
        if (knownVersion != Version) return;
        await Task.WhenAny(_changed.Task, Task.Delay(timeout, time));
    }
}
