namespace PoolCompress.SecureAggregation;

/// <summary>
/// The sparse communication graph of SecAgg+: the round's members in a seeded random order on a ring, each paired
/// with the <see cref="NeighboursPerSide"/> members on either side, so a client masks with, and holds shares for,
/// a bounded number of others however many join. Members are named by their point: their index in the round's
/// sorted member list plus one, which is also the x of the shares they hold.
/// </summary>
public sealed class PairingGraph
{
    private readonly int[][] _neighbours;

    private PairingGraph(int[][] neighbours) => _neighbours = neighbours;

    public int Members => _neighbours.Length;

    /// <summary>The points paired with <paramref name="point"/>, ascending.</summary>
    public IReadOnlyList<int> NeighboursOf(int point) => _neighbours[point - 1];

    public bool ArePaired(int a, int b) => _neighbours[a - 1].Contains(b);

    /// <param name="degree">Neighbours wanted per member, rounded up to an even count; all others when that is fewer.</param>
    public static PairingGraph Build(int members, int degree, ulong roundSeed)
    {
        if (members < 2)
            throw new ArgumentOutOfRangeException(nameof(members), members, "secure aggregation needs at least 2 members");
        if (degree < 1)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, "each member needs at least 1 neighbour");
        var perSide = (degree + 1) / 2;
        return 2 * perSide >= members - 1 ? Complete(members) : Ring(SeededOrder(members, roundSeed), perSide);
    }

    /// <summary>The degree a member gets in a round of <paramref name="members"/>.</summary>
    public static int DegreeFor(int members, int degree) => Math.Min(members - 1, 2 * ((degree + 1) / 2));

    private static PairingGraph Complete(int members) =>
        new(Enumerable.Range(1, members).Select(p => Enumerable.Range(1, members).Where(q => q != p).ToArray()).ToArray());

    private static PairingGraph Ring(int[] order, int perSide)
    {
        var n = order.Length;
        var neighbours = new int[n][];
        for (var position = 0; position < n; position++)
        {
            var around = Enumerable.Range(1, perSide).SelectMany(d => new[] { order[(position + d) % n], order[(position - d + n) % n] });
            neighbours[order[position] - 1] = around.Order().ToArray();
        }
        return new PairingGraph(neighbours);
    }

    /// <summary>Fisher-Yates from the last position down, each swap partner drawn with <see cref="SeedStream.NextBelow"/>.</summary>
    private static int[] SeededOrder(int members, ulong roundSeed)
    {
        var order = Enumerable.Range(1, members).ToArray();
        using var stream = new SeedStream(PublicSeeds.Derive(PublicSeeds.PairingLabel, roundSeed));
        for (var i = members - 1; i > 0; i--)
        {
            var j = (int)stream.NextBelow((uint)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
