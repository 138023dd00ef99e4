namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Revoked client certificates: one <c>SERIAL CLIENT_ID</c> a line (hex serial; the id is for the reader). Written
/// by <c>certs revoke</c>, read by the coordinator whenever it changes.
/// </summary>
public static class RevocationList
{
    public const string DefaultFileName = "revoked.txt";

    public static IReadOnlySet<string> ParseSerials(string text) =>
        Lines(text).Select(fields => fields[0].ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The <c>SERIAL CLIENT_ID</c> pairs of a revocation list or an issued-certificates list.</summary>
    public static IEnumerable<string[]> Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
