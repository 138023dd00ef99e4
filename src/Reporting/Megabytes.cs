namespace PoolCompress.Reporting;

/// <summary>Reports speak decimal megabytes (10^6 bytes), as link speeds in Mbit/s do.</summary>
internal static class Megabytes
{
    public static double Of(long bytes) => bytes / 1e6;
}
