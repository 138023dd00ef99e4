namespace PoolCompress.Links;

/// <summary>One client's network link: the rate it sends at, the rate it receives at, and its round-trip time.</summary>
/// <remarks>
/// Transfer model: one request moving <c>bytes</c> takes <c>RoundTrip + bytes × 8 / rate</c>, a round trip for the
/// request to reach the far end and its answer to come back, plus the time to push the bytes through the link at its
/// rate. The byte counts are those measured at the socket, so HTTP/2 and gRPC framing are already in them. TCP slow
/// start, loss and retransmission are left out: the figure is a lower bound that ranks codecs by what they really send.
/// </remarks>
public sealed record LinkProfile(string Name, double UplinkBitsPerSecond, double DownlinkBitsPerSecond, TimeSpan RoundTrip)
{
    public string Name { get; } = string.IsNullOrWhiteSpace(Name) ? throw new ArgumentException("a link needs a name", nameof(Name)) : Name;

    public double UplinkBitsPerSecond { get; } = RequireRate(UplinkBitsPerSecond, nameof(UplinkBitsPerSecond));

    public double DownlinkBitsPerSecond { get; } = RequireRate(DownlinkBitsPerSecond, nameof(DownlinkBitsPerSecond));

    public TimeSpan RoundTrip { get; } = RoundTrip >= TimeSpan.Zero
        ? RoundTrip
        : throw new ArgumentOutOfRangeException(nameof(RoundTrip), RoundTrip, "the round trip must not be negative");

    /// <summary>
    /// Reads a named profile (see <see cref="LinkProfiles"/>; names ignore case) or an explicit one such as
    /// <c>up=1mbit,down=10mbit,rtt=50ms</c>; the grammar is described on <see cref="LinkSpecParser"/>.
    /// </summary>
    /// <exception cref="LinkSpecException">The spec is malformed; the message names the faulty part and what is allowed.</exception>
    public static LinkProfile Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return LinkProfiles.Named.TryGetValue(spec.Trim(), out var named) ? named : LinkSpecParser.Parse(spec);
    }

    /// <summary>How long one request sending <paramref name="bytes"/> up this link takes (see the transfer model above).</summary>
    public TimeSpan UploadTime(long bytes) => RoundTrip + SerializationTime(bytes, UplinkBitsPerSecond);

    /// <summary>How long one request fetching <paramref name="bytes"/> down this link takes (see the transfer model above).</summary>
    public TimeSpan DownloadTime(long bytes) => RoundTrip + SerializationTime(bytes, DownlinkBitsPerSecond);

    internal static TimeSpan SerializationTime(long bytes, double bitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return TimeSpan.FromSeconds(bytes * 8.0 / bitsPerSecond);
    }

    private static double RequireRate(double bitsPerSecond, string name) => double.IsFinite(bitsPerSecond) && bitsPerSecond > 0
        ? bitsPerSecond
        : throw new ArgumentOutOfRangeException(name, bitsPerSecond, "a link rate must be a finite number of bits per second > 0");
}
