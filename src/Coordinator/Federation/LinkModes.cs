namespace PoolCompress.Coordinator.Federation;

public static class LinkModes
{
    public const string Off = "off";
    /// <summary>Rounds run at machine speed; each client's transfer times are computed from its socket bytes and link.</summary>
    public const string Modeled = "modeled";
    /// <summary>Clients' sockets are throttled to their links, so rounds take the links' wall-clock time.</summary>
    public const string Real = "real";
    public static readonly string[] All = [Off, Modeled, Real];
}
