namespace PoolCompress.Client;

/// <summary>
/// The coordinator a client dials, written as one URL or as several silos' URLs separated by commas. Client I
/// prefers silo I mod K and falls back on the others in order, so the clients of a federation spread over its silos.
/// </summary>
public static class CoordinatorAddresses
{
    /// <summary>The URLs of <paramref name="list"/>, or one problem per bad value (and none when it is usable).</summary>
    public static IReadOnlyList<Uri> Parse(string list, out IReadOnlyList<string> problems)
    {
        var addresses = new List<Uri>();
        var found = new List<string>();
        foreach (string value in list.Split(',', StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
                addresses.Add(address);
            else
                found.Add($"'{value}' is not an http:// or https:// URL");
        }
        if (found.Count == 0) found.AddRange(Problems(addresses));
        problems = found;
        return addresses;
    }

    /// <summary>What makes a list of silos unusable as one channel: mixed schemes (one channel has one kind of credentials) or repeats.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<Uri> addresses)
    {
        var problems = new List<string>();
        if (addresses.Select(a => a.Scheme).Distinct().Count() > 1)
            problems.Add($"mixes http:// and https:// URLs ({string.Join(", ", addresses)}); all silos must use the same");
        problems.AddRange(addresses.GroupBy(a => a.Authority, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' is listed {g.Count()} times"));
        return problems;
    }

    /// <summary>The list in the order client <paramref name="clientIndex"/> prefers it: starting at silo <c>clientIndex mod K</c>.</summary>
    public static IReadOnlyList<Uri> PreferredBy(IReadOnlyList<Uri> addresses, int clientIndex)
    {
        int first = clientIndex % addresses.Count;
        return [.. addresses.Skip(first), .. addresses.Take(first)];
    }
}
