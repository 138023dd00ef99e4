using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class SecureRoundTests
{
    private const int Length = 257;
    private const int Levels = 1;

    [Theory]
    [InlineData(5, 4)]
    [InlineData(12, 4)]
    [InlineData(30, 6)]
    public void Survivors_sum_is_exact_when_nobody_drops(int members, int degree)
    {
        var space = MaskSpace.For(members, Levels);
        using var round = new SecureRoundHarness(members, degree, space);
        var updates = RandomUpdates(round.Points, space, seed: members);

        var uploads = round.Points.ToDictionary(p => p, p => round.MaskedUpload(p, updates[p]));

        Assert.Equal(round.SumOf(updates.Values), round.Aggregate(uploads));
    }

    [Theory]
    [InlineData(10, 8, 0.1)]
    [InlineData(10, 8, 0.3)]
    [InlineData(40, 12, 0.1)]
    [InlineData(40, 12, 0.3)]
    public void Dropped_clients_masks_are_removed_from_a_threshold_of_shares(int members, int degree, double dropFraction)
    {
        var space = MaskSpace.For(members, Levels);
        using var round = new SecureRoundHarness(members, degree, space);
        var updates = RandomUpdates(round.Points, space, seed: 3);
        var dropped = RecoverableDropouts(round, (int)Math.Round(members * dropFraction));
        var survivors = round.Points.Except(dropped).ToArray();

        var uploads = survivors.ToDictionary(p => p, p => round.MaskedUpload(p, updates[p]));

        Assert.Equal(round.SumOf(survivors.Select(p => updates[p])), round.Aggregate(uploads));
    }

    [Fact]
    public void A_client_with_fewer_surviving_neighbours_than_the_threshold_fails_the_round()
    {
        var space = MaskSpace.For(10, Levels);
        using var round = new SecureRoundHarness(members: 10, degree: 4, space);
        var dropped = round.Plan.Graph.NeighboursOf(1).Take(2).ToArray();
        var survivors = round.Points.Except(dropped).ToArray();
        var uploads = survivors.ToDictionary(p => p, p => round.MaskedUpload(p, new uint[Length]));

        Assert.Throws<SecureAggregationException>(() => round.Aggregate(uploads));
    }

    [Fact]
    public void Below_the_threshold_of_survivors_clients_reveal_nothing()
    {
        using var round = new SecureRoundHarness(members: 5, degree: 4, MaskSpace.For(5, Levels));
        round.MaskedUpload(1, new uint[Length]);
        int[] survivors = [1, 2];

        var refusal = Assert.Throws<SecureAggregationException>(() => round.Client(1).Reveal(survivors, [3, 4, 5]));

        Assert.Contains("fewer than the threshold", refusal.Message);
    }

    [Fact]
    public void Below_the_threshold_of_shares_the_coordinator_cannot_unmask_and_leaves_the_sum_as_it_was()
    {
        var space = MaskSpace.For(5, Levels);
        using var round = new SecureRoundHarness(members: 5, degree: 4, space);
        var updates = RandomUpdates(round.Points, space, seed: 5);
        int[] survivors = [1, 2, 3];
        var maskedSum = round.SumOf(survivors.Select(p => round.MaskedUpload(p, updates[p])));
        var unmasking = new Unmasking(round.Plan, round.Advertised, round.Points.ToArray(), survivors);
        foreach (var holder in survivors.Take(round.Plan.Threshold - 1))
            unmasking.Accept(holder, round.Client(holder).Reveal(survivors, [4, 5]));
        var before = (uint[])maskedSum.Clone();

        Assert.Throws<SecureAggregationException>(() => unmasking.Unmask(maskedSum));
        Assert.Equal(before, maskedSum);
    }

    [Fact]
    public void A_client_refuses_to_reveal_for_lists_that_do_not_split_the_clients_it_masked_with()
    {
        using var round = new SecureRoundHarness(members: 6, degree: 4, MaskSpace.For(6, Levels));
        round.MaskedUpload(1, new uint[Length]);

        Assert.Throws<SecureAggregationException>(() => round.Client(1).Reveal([2, 3, 4, 5, 6], [1]));
        Assert.Throws<SecureAggregationException>(() => round.Client(1).Reveal([1, 2, 3, 4], [5]));
        Assert.Throws<SecureAggregationException>(() => round.Client(1).Reveal([1, 2, 3, 4], [5, 6, 7]));
        Assert.Throws<SecureAggregationException>(() => round.Client(1).Reveal([1, 2, 3, 4, 5], [5, 6]));
        Assert.NotEmpty(round.Client(1).Reveal([1, 2, 3, 4], [5, 6]));
    }

    [Fact]
    public void A_forged_share_among_more_than_the_threshold_is_passed_over()
    {
        var (unmasking, maskedSum) = UnmaskingWithForgers(forgers: [1]);

        unmasking.Unmask(maskedSum);

        Assert.All(maskedSum, word => Assert.Equal(0u, word));
    }

    [Fact]
    public void Forged_shares_that_leave_fewer_honest_ones_than_the_threshold_fail_the_round_with_the_sum_untouched()
    {
        var (unmasking, maskedSum) = UnmaskingWithForgers(forgers: [1, 2]);
        var before = (uint[])maskedSum.Clone();

        var refusal = Assert.Throws<SecureAggregationException>(() => unmasking.Unmask(maskedSum));

        Assert.Contains("forged", refusal.Message);
        Assert.Equal(before, maskedSum);
    }

    [Fact]
    public void Revealed_shares_of_the_wrong_kind_size_or_owner_are_refused()
    {
        using var round = new SecureRoundHarness(members: 5, degree: 4, MaskSpace.For(5, Levels));
        int[] everyone = [1, 2, 3, 4, 5];
        var unmasking = new Unmasking(round.Plan, round.Advertised, everyone, everyone);

        Assert.Throws<SecureAggregationException>(() => unmasking.Accept(1, [new RevealedShare(2, ShareKind.MaskKey, new byte[ShamirSharing.ValueBytes])]));
        Assert.Throws<SecureAggregationException>(() => unmasking.Accept(1, [new RevealedShare(2, ShareKind.SelfSeed, new byte[ShamirSharing.ValueBytes + 1])]));
        Assert.Throws<SecureAggregationException>(() => unmasking.Accept(1, [new RevealedShare(2, (ShareKind)7, new byte[ShamirSharing.ValueBytes])]));
        Assert.Throws<SecureAggregationException>(() => unmasking.Accept(1, [new RevealedShare(99, ShareKind.SelfSeed, new byte[ShamirSharing.ValueBytes])]));
        Assert.Throws<SecureAggregationException>(() => unmasking.Accept(9, []));
    }

    [Fact]
    public void One_masked_upload_is_uniform_in_the_modulus()
    {
        var space = new MaskSpace(5);
        using var round = new SecureRoundHarness(members: 6, degree: 4, space);
        const int words = 32_000;

        var masked = round.MaskedUpload(1, new uint[words]);

        var expected = words / 32.0;
        var chiSquare = masked.GroupBy(w => w).Sum(g => Math.Pow(g.Count() - expected, 2) / expected)
            + (32 - masked.Distinct().Count()) * expected;
        Assert.InRange(chiSquare, 0, 80.0);
    }

    /// <summary>Five clients uploading zeros, every one of them revealing, the <paramref name="forgers"/> with one bit of each share flipped.</summary>
    private static (Unmasking Unmasking, uint[] MaskedSum) UnmaskingWithForgers(int[] forgers)
    {
        var round = new SecureRoundHarness(members: 5, degree: 4, MaskSpace.For(5, Levels));
        int[] survivors = [1, 2, 3, 4, 5];
        var maskedSum = round.SumOf(survivors.Select(p => round.MaskedUpload(p, new uint[Length])));
        var unmasking = new Unmasking(round.Plan, round.Advertised, survivors, survivors);
        foreach (var holder in survivors)
        {
            var revealed = round.Client(holder).Reveal(survivors, []);
            unmasking.Accept(holder, forgers.Contains(holder) ? revealed.Select(s => s with { Value = Flip(s.Value) }).ToArray() : revealed);
        }
        return (unmasking, maskedSum);
    }

    private static Dictionary<int, uint[]> RandomUpdates(IEnumerable<int> points, MaskSpace space, int seed)
    {
        var random = new Random(seed);
        return points.ToDictionary(p => p, _ => Enumerable.Range(0, Length).Select(_ => space.FromSigned(random.Next(-Levels, Levels + 1))).ToArray());
    }

    /// <summary>The first seeded draw of dropouts after which every client still has a threshold of surviving neighbours.</summary>
    private static int[] RecoverableDropouts(SecureRoundHarness round, int count)
    {
        var graph = round.Plan.Graph;
        for (var seed = 0; ; seed++)
        {
            var dropped = new Random(seed).GetItems(round.Points.ToArray(), round.Points.Count).Distinct().Take(count).ToArray();
            if (dropped.Length == count && round.Points.All(p => graph.NeighboursOf(p).Count(q => !dropped.Contains(q)) >= round.Plan.Threshold))
                return dropped;
        }
    }

    private static byte[] Flip(byte[] value)
    {
        var flipped = (byte[])value.Clone();
        flipped[^1] ^= 1;
        return flipped;
    }
}
