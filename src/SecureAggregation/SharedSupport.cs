namespace PoolCompress.SecureAggregation;

/// <summary>
/// The coordinates every client of a round sends, the same for all so masked values line up: <c>count</c> distinct
/// indices of [0, dimension) drawn by Floyd's algorithm from the round's support seed, ascending. Positions reveal
/// nothing about any client because none of them chose them.
/// </summary>
public static class SharedSupport
{
    public static int[] Choose(int dimension, int count, ulong roundSeed)
    {
        if (count < 1 || count > dimension)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"a support has 1 to {dimension} coordinates");
        var chosen = new HashSet<int>(count);
        using var stream = new SeedStream(PublicSeeds.Derive(PublicSeeds.SupportLabel, roundSeed));
        for (var j = dimension - count; j < dimension; j++)
        {
            var candidate = (int)stream.NextBelow((uint)j + 1);
            chosen.Add(chosen.Contains(candidate) ? j : candidate);
        }
        return chosen.Order().ToArray();
    }
}
