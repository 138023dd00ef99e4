using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class SharedSupportTests
{
    private static float[] Movement(int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimension).Select(_ => random.NextSingle() - 0.5f).ToArray();
    }

    [Fact]
    public void A_followed_support_holds_the_largest_steps_and_draws_the_rest_from_the_seed()
    {
        var movement = Movement(10_000, seed: 1);
        var largest = Enumerable.Range(0, movement.Length).OrderByDescending(i => MathF.Abs(movement[i])).Take(60).ToHashSet();

        var support = SharedSupport.Follow(movement, count: 100, followed: 60, roundSeed: 7);

        Assert.Equal(100, support.Distinct().Count());
        Assert.Equal(support.Order(), support);
        Assert.Subset(support.ToHashSet(), largest);
        Assert.Equal(support, SharedSupport.Follow(movement, 100, 60, 7));
        Assert.NotEqual(support, SharedSupport.Follow(movement, 100, 60, 8));
        Assert.Subset(SharedSupport.Follow(movement, 100, 60, 8).ToHashSet(), largest);
    }

    [Fact]
    public void Coordinates_that_did_not_move_are_drawn_not_followed()
    {
        var movement = new float[1_000];
        movement[3] = 0.5f;
        movement[900] = -2f;

        var support = SharedSupport.Follow(movement, count: 10, followed: 10, roundSeed: 7);

        Assert.Equal(10, support.Distinct().Count());
        Assert.Contains(3, support);
        Assert.Contains(900, support);
        Assert.Equal(SharedSupport.Choose(1_000, 10, 7), SharedSupport.Follow(new float[1_000], 10, 10, 7));
    }

    [Fact]
    public void Following_nothing_is_the_seeded_support()
    {
        Assert.Equal(SharedSupport.Choose(5_000, 50, 3), SharedSupport.Follow(Movement(5_000, 2), 50, 0, 3));
    }

    [Fact]
    public void A_named_support_reads_back_as_the_coordinator_chose_it()
    {
        var support = SharedSupport.Follow(Movement(100_000, seed: 4), count: 2_000, followed: 1_000, roundSeed: 9);

        var named = SupportList.Encode(support);

        Assert.Equal(support, SupportList.Read(named, 100_000, 2_000, roundSeed: 1));
        Assert.Equal(SharedSupport.Choose(100_000, 2_000, 1), SupportList.Read([], 100_000, 2_000, roundSeed: 1));
        Assert.InRange(named.Length, 2_000 * 7 / 8, 2_000 * 9 / 8);
    }

    [Theory]
    [InlineData(new[] { 5, 3, 9 }, 3, "ascending")]
    [InlineData(new[] { 3, 5, 5 }, 3, "repeat")]
    [InlineData(new[] { 3, 5, 100 }, 3, "out of range")]
    [InlineData(new[] { 3, 5, 9 }, 4, "too few")]
    [InlineData(new[] { 3, 5, 9, 11 }, 3, "too many")]
    public void A_hostile_support_list_is_refused(int[] listed, int count, string what)
    {
        var named = HandCoded(listed);

        var refusal = Assert.Throws<SecureAggregationException>(() => SupportList.Read(named, 100, count, roundSeed: 1));

        Assert.False(string.IsNullOrEmpty(refusal.Message), what);
    }

    [Fact]
    public void A_truncated_or_padded_support_list_and_an_impossible_count_are_refused()
    {
        var named = SupportList.Encode([3, 5, 9]);

        Assert.Throws<SecureAggregationException>(() => SupportList.Read(named[..^1], 100, 3, 1));
        Assert.Throws<SecureAggregationException>(() => SupportList.Read([.. named, 0], 100, 3, 1));
        Assert.Throws<SecureAggregationException>(() => SupportList.Read(named, 100, 101, 1));
        Assert.Throws<SecureAggregationException>(() => SupportList.Read(named, 100, 0, 1));
    }

    /// <summary>
    /// Any list as Rice-coded gaps with parameter 0 (a run of zero bits per coordinate, then a one, least significant
    /// bit first): a descending or repeated coordinate becomes the longest run a gap may have, which must be refused.
    /// </summary>
    private static byte[] HandCoded(int[] listed)
    {
        var bits = new List<bool>();
        var previous = -1;
        foreach (var index in listed)
        {
            var gap = (uint)(index - previous - 1);
            for (var i = 0u; i < Math.Min(gap, 200u); i++) bits.Add(false);
            bits.Add(true);
            previous = index;
        }
        var stream = new byte[(bits.Count + 7) / 8];
        for (var i = 0; i < bits.Count; i++)
            if (bits[i]) stream[i / 8] |= (byte)(1 << (i % 8));
        return [.. BitConverter.GetBytes((uint)listed.Length), 0, .. BitConverter.GetBytes((uint)stream.Length), .. stream];
    }
}
