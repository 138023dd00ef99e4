namespace PoolCompress.Links;

/// <summary>
/// Round timing computed from measured bytes and each client's link instead of waited for: fast enough to sweep
/// codecs and link mixes. The transfer model is the one on <see cref="LinkProfile"/>.
/// </summary>
public static class ModeledRound
{
    /// <summary>The timing of one client that downloads, trains, then uploads, one step after the other.</summary>
    public static ClientTiming Time(LinkProfile link, long downlinkBytes, TimeSpan train, long uplinkBytes)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfLessThan(train, TimeSpan.Zero);
        return new ClientTiming(link.DownloadTime(downlinkBytes), train, link.UploadTime(uplinkBytes));
    }

    /// <summary>
    /// A straggler is a client whose download, training and upload together would end after the deadline; one that
    /// ends exactly at the deadline is on time. The deadline counts from the start of the round.
    /// </summary>
    public static bool IsStraggler(ClientTiming timing, TimeSpan deadline) => timing.Total > deadline;

    /// <summary>
    /// How long the round lasts: until the slowest selected client finishes, or, if any selected client is a
    /// straggler, until the deadline, since the server waits for it that long before giving up on it. No client
    /// selected means a round of zero length.
    /// </summary>
    public static TimeSpan Duration(IReadOnlyCollection<ClientTiming> selected, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(selected);
        TimeSpan slowest = TimeSpan.Zero;
        foreach (var timing in selected)
        {
            if (IsStraggler(timing, deadline)) return deadline;
            if (timing.Total > slowest) slowest = timing.Total;
        }
        return slowest;
    }
}
