namespace PoolCompress.Links;

/// <summary>
/// Turns shares into whole counts that add up to a total (the largest-remainder method): each count is its share of the
/// total rounded down or up, so it is never more than one away from the exact share.
/// </summary>
internal static class ShareApportionment
{
    /// <param name="shares">Non-negative shares with a positive sum; they are scaled to sum to exactly 1.</param>
    /// <param name="total">The number to divide.</param>
    /// <returns>The counts, in the order of <paramref name="shares"/>.</returns>
    public static int[] Counts(IReadOnlyList<double> shares, int total)
    {
        var counts = new int[shares.Count];
        var remainders = new double[shares.Count];
        double sum = shares.Sum();
        for (int i = 0; i < shares.Count; i++)
        {
            double exact = shares[i] / sum * total;
            counts[i] = (int)Math.Floor(exact);
            remainders[i] = exact - counts[i];
        }

        // Ties go to the share listed first, so the result depends only on the rule as written.
        int[] byRemainder = Enumerable.Range(0, shares.Count).OrderByDescending(i => remainders[i]).ToArray();
        for (int left = total - counts.Sum(), k = 0; left > 0; left--, k++)
            counts[byRemainder[k % byRemainder.Length]]++;
        return counts;
    }
}
