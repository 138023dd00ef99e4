using System.Globalization;

namespace PoolCompress.Links;

/// <summary>
/// The <c>mix:3g=0.2,lte=0.5,fiber=0.3</c> rule: named profiles with shares summing to 1 (within 1e-6). Each profile
/// goes to its share of the clients rounded up or down (<see cref="ShareApportionment"/>), and which clients get which
/// profile is a seeded shuffle.
/// </summary>
internal static class MixRule
{
    private const double SumTolerance = 1e-6;

    public static LinkProfile[] Assign(string rule, string shares, int clients, long seed)
    {
        if (string.IsNullOrWhiteSpace(shares))
            throw Error(rule, "no shares given; expected mix:PROFILE=SHARE,..., e.g. mix:3g=0.2,lte=0.8");

        var profiles = new List<LinkProfile>();
        var weights = new List<double>();
        foreach (string rawEntry in shares.Split(','))
        {
            string entry = rawEntry.Trim();
            int equals = entry.IndexOf('=');
            if (equals < 0)
                throw Error(rule, $"'{entry}' has no share; expected PROFILE=SHARE, e.g. 3g=0.2");
            string name = entry[..equals].Trim();
            if (!LinkProfiles.Named.TryGetValue(name, out var profile))
                throw Error(rule, $"unknown profile '{name}'; mix takes the named profiles {LinkProfiles.NameList}");
            if (profiles.Contains(profile))
                throw Error(rule, $"profile '{name}' is listed twice");
            if (!double.TryParse(entry[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double share) || !(share is >= 0 and <= 1))
                throw Error(rule, $"'{entry}': a share must be a number from 0 to 1");
            profiles.Add(profile);
            weights.Add(share);
        }

        double sum = weights.Sum();
        if (Math.Abs(sum - 1) > SumTolerance)
            throw Error(rule, $"the shares sum to {sum.ToString(CultureInfo.InvariantCulture)}; they must sum to 1");

        int[] counts = ShareApportionment.Counts(weights, clients);
        LinkProfile[] links = [.. profiles.SelectMany((profile, i) => Enumerable.Repeat(profile, counts[i]))];
        // Shuffled so that a client's link is not tied to its index, which also orders the data shards.
        SeededShuffle.Shuffle(links.AsSpan(), seed);
        return links;
    }

    private static LinkSpecException Error(string rule, string problem) => new($"link rule '{rule}': {problem}");
}
