namespace PoolCompress.Learning;

/// <summary>
/// Linux's resident set of this process (VmRSS) and its peak (VmHWM), which writing 5 to /proc/self/clear_refs resets
/// to the current resident set, so the growth of one piece of work can be read off the mark.
/// </summary>
public static class PeakResidentSet
{
    public const string ClearRefs = "/proc/self/clear_refs";
    private const string Status = "/proc/self/status";

    public static long ResidentBytes => StatusBytes("VmRSS:");

    public static long PeakBytes => StatusBytes("VmHWM:");

    /// <summary>Sets the peak to the current resident set; false where that cannot be done (no /proc, no rights).</summary>
    public static bool TryReset()
    {
        try
        {
            File.WriteAllText(ClearRefs, "5");
            return PeakBytes > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }

    /// <summary>How far the peak resident set rose above the resident set while <paramref name="work"/> ran; null without a resettable mark.</summary>
    public static long? GrowthWhile(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!TryReset())
        {
            work();
            return null;
        }
        long before = ResidentBytes;
        work();
        return Math.Max(0, PeakBytes - before);
    }

    private static long StatusBytes(string field)
    {
        foreach (string line in File.ReadLines(Status))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            // "VmHWM:     123456 kB"
            var value = line.AsSpan(field.Length).Trim();
            return long.Parse(value[..value.IndexOf(' ')]) * 1024;
        }
        throw new FormatException($"{Status} has no {field}");
    }
}
