using System.Collections.Frozen;

namespace PoolCompress.Links;

/// <summary>
/// The named links, taken from the connectivity presets of WebPageTest (WPO-Foundation/webpagetest,
/// <c>www/settings/connectivity.ini.sample</c>), the presets most network-emulation tools and web-performance studies
/// share, so results stay comparable with that literature:
/// <list type="table">
/// <item><term>3g</term><description>1.6 Mbit/s down, 768 kbit/s up, 300 ms round trip (preset "3G").</description></item>
/// <item><term>lte</term><description>12 Mbit/s down and up, 70 ms round trip (preset "LTE").</description></item>
/// <item><term>dsl</term><description>1.5 Mbit/s down, 384 kbit/s up, 50 ms round trip (preset "DSL").</description></item>
/// <item><term>fiber</term><description>20 Mbit/s down, 5 Mbit/s up, 4 ms round trip (preset "FIOS").</description></item>
/// </list>
/// The presets are deliberately modest, older-generation figures: they stand for the slow end of a client population,
/// where compression matters. For a faster line, write it out, e.g. <c>up=1gbit,down=1gbit,rtt=5ms</c>.
/// </summary>
public static class LinkProfiles
{
    private static readonly LinkProfile[] InOrder =
    [
        new("3g", UplinkBitsPerSecond: 768e3, DownlinkBitsPerSecond: 1.6e6, TimeSpan.FromMilliseconds(300)),
        new("lte", UplinkBitsPerSecond: 12e6, DownlinkBitsPerSecond: 12e6, TimeSpan.FromMilliseconds(70)),
        new("dsl", UplinkBitsPerSecond: 384e3, DownlinkBitsPerSecond: 1.5e6, TimeSpan.FromMilliseconds(50)),
        new("fiber", UplinkBitsPerSecond: 5e6, DownlinkBitsPerSecond: 20e6, TimeSpan.FromMilliseconds(4)),
    ];

    /// <summary>The named profiles by name; lookups ignore case.</summary>
    public static IReadOnlyDictionary<string, LinkProfile> Named { get; } =
        InOrder.ToFrozenDictionary(profile => profile.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The names as listed in error messages, e.g. "3g, lte, dsl, fiber".</summary>
    internal static string NameList { get; } = string.Join(", ", InOrder.Select(profile => profile.Name));
}
