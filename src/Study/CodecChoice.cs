using PoolCompress.Compression;

namespace PoolCompress.Study;

/// <summary>
/// A grid's codec entry: the uplink codec, written as a spec (<c>topk:0.01&gt;q:4</c>), and optionally the downlink
/// codec of its runs, written as a mapping (<c>{up: "topk:0.01&gt;q:4", down: "topk:0.1&gt;q:8"}</c>). Without one the
/// runs use base.downlink-codec, as the dense references always do.
/// </summary>
/// <param name="SecureSupport">Under secure aggregation, the fraction of coordinates its rounds send; null: no secure aggregation.</param>
public sealed record CodecChoice(string Uplink, string? Downlink = null, double? SecureSupport = null)
{
    /// <summary>Both specs spelled the one way their parser prints them; specs that do not parse are kept for the validator.</summary>
    internal CodecChoice Canonical() => this with { Uplink = CanonicalSpec(Uplink), Downlink = Downlink is null ? null : CanonicalSpec(Downlink) };

    public override string ToString() =>
        (Downlink is null ? Uplink : $"{Uplink} (down {Downlink})") + (SecureSupport is { } support ? $" (secure, support {support:0.####})" : "");

    private static string CanonicalSpec(string codec)
    {
        try { return CodecSpec.Parse(codec).Text; }
        catch (CodecSpecException) { return codec; }
    }
}
