namespace PoolCompress.TestSupport;

/// <summary>
/// The one wait for state a test cannot be told about (a grain's status, a storage write): reads it until it holds,
/// and on timeout fails naming what was awaited and the last value read, rather than with a bare cancellation.
/// </summary>
internal static class WaitUntil
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> HoldsAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string awaited, TimeSpan? patience = null)
    {
        var timeout = patience ?? TestCoordinator.Patience;
        using var cancel = new CancellationTokenSource(timeout);
        T last;
        while (!holds(last = await read()))
        {
            try
            {
                await Task.Delay(PollInterval, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited {timeout} for {awaited}; last read: {last}");
            }
        }
        return last;
    }

    public static Task HoldsAsync(Func<bool> condition, string awaited, TimeSpan? patience = null) =>
        HoldsAsync(() => Task.FromResult(condition()), holds => holds, awaited, patience);
}
