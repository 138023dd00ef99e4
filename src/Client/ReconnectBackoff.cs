using Grpc.Core;

namespace PoolCompress.Client;

/// <summary>Exponential backoff for calls that fail because the coordinator is briefly unreachable.</summary>
internal sealed class ReconnectBackoff(ClientOptions options)
{
    private TimeSpan _delay = options.ReconnectDelay;
    private DateTime? _failingSince;

    public static bool IsTransient(RpcException e) => e.StatusCode
        is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted;

    public void Reset()
    {
        _delay = options.ReconnectDelay;
        _failingSince = null;
    }

    /// <summary>Waits before the next attempt, or rethrows once the coordinator has been unreachable too long.</summary>
    public async Task WaitAsync(RpcException failure, CancellationToken cancellationToken)
    {
        _failingSince ??= DateTime.UtcNow;
        if (DateTime.UtcNow - _failingSince > options.GiveUpAfter)
            throw new CoordinatorUnreachableException(options.Coordinators, options.GiveUpAfter, failure);
        await Task.Delay(_delay, cancellationToken);
        _delay = TimeSpan.FromTicks(Math.Min(_delay.Ticks * 2, options.ReconnectMaxDelay.Ticks));
    }
}

public sealed class CoordinatorUnreachableException(IReadOnlyList<Uri> coordinators, TimeSpan after, Exception inner)
    : Exception($"coordinator {string.Join(", ", coordinators)} unreachable for {after.TotalSeconds:F0} s: {inner.Message}", inner);
