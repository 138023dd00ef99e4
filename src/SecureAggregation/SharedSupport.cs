using PoolCompress.Compression.Coding;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// The coordinates every client of a round sends, the same for all so masked values line up, ascending. Either
/// <c>count</c> distinct indices of [0, dimension) drawn by Floyd's algorithm from the round's support seed
/// (<see cref="Choose"/>), or a support that follows the model (<see cref="Follow"/>): the coordinates the global
/// model moved most in its last step, and the rest drawn from the seed. Neither reveals anything about a client: the
/// seed is public, and the global model's last step is what every client downloads.
/// </summary>
public static class SharedSupport
{
    public static int[] Choose(int dimension, int count, ulong roundSeed)
    {
        CheckCount(dimension, count);
        return Draw(dimension, count, roundSeed).Order().ToArray();
    }

    /// <summary>
    /// The <paramref name="followed"/> coordinates of largest <paramref name="movement"/> (a coordinate that did not
    /// move is never followed; among equal magnitudes the lower index wins), and the rest of the <paramref name="count"/>
    /// drawn as <see cref="Choose"/> draws from the coordinates not followed. The drawn ones give every coordinate its
    /// turn: a support that only followed would keep the coordinates it sent, as nothing else moves.
    /// </summary>
    public static int[] Follow(ReadOnlySpan<float> movement, int count, int followed, ulong roundSeed)
    {
        CheckCount(movement.Length, count);
        if (followed < 0 || followed > count)
            throw new ArgumentOutOfRangeException(nameof(followed), followed, $"a support of {count} follows 0 to {count} coordinates");
        var top = new int[Math.Min(followed, Moved(movement))];
        MagnitudeSelector.SelectLargest(movement, top);
        var isTop = new bool[movement.Length];
        foreach (var i in top) isTop[i] = true;
        var others = Enumerable.Range(0, movement.Length).Where(i => !isTop[i]).ToArray();
        var drawn = Draw(others.Length, count - top.Length, roundSeed).Select(j => others[j]);
        return top.Concat(drawn).Order().ToArray();
    }

    private static void CheckCount(int dimension, int count)
    {
        if (count < 1 || count > dimension)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"a support has 1 to {dimension} coordinates");
    }

    /// <summary>Floyd's algorithm on the support seed's stream: <paramref name="count"/> distinct values of [0, range).</summary>
    private static HashSet<int> Draw(int range, int count, ulong roundSeed)
    {
        var chosen = new HashSet<int>(count);
        using var stream = new SeedStream(PublicSeeds.Derive(PublicSeeds.SupportLabel, roundSeed));
        for (var j = range - count; j < range; j++)
        {
            var candidate = (int)stream.NextBelow((uint)j + 1);
            chosen.Add(chosen.Contains(candidate) ? j : candidate);
        }
        return chosen;
    }

    private static int Moved(ReadOnlySpan<float> movement)
    {
        var moved = 0;
        foreach (var step in movement)
            if (step != 0 && float.IsFinite(step)) moved++;
        return moved;
    }
}
