namespace PoolCompress.Contracts;

/// <summary>How a study's runs emulate their clients' network links.</summary>
public enum LinkMode
{
    /// <summary>Loopback as it is: bytes are measured, time is not representative of a real network.</summary>
    Off,

    /// <summary>Each round's duration is computed from the bytes and the link profiles (RoundMetrics.ModeledSeconds).</summary>
    Modeled,

    /// <summary>Traffic is really shaped to the link profiles, so wall time is the time over those links.</summary>
    Real,
}
