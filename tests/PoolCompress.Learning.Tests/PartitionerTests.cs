namespace PoolCompress.Learning.Tests;

public sealed class PartitionerTests
{
    /// <summary>1,000 samples, 100 of each class, in label order 0, 1, ..., 9, 0, 1, ...</summary>
    private static readonly byte[] Labels = [.. Enumerable.Range(0, 1_000).Select(i => (byte)(i % 10))];

    [Theory]
    [InlineData("iid")]
    [InlineData("dirichlet:0.1")]
    [InlineData("dirichlet:1")]
    [InlineData("shards:2")]
    public void Every_sample_goes_to_exactly_one_client_and_no_client_is_empty(string spec)
    {
        int[][] parts = Partitioners.Parse(spec).Partition(Labels, clients: 10, seed: 3);

        Assert.Equal(10, parts.Length);
        Assert.All(parts, part => Assert.NotEmpty(part));
        Assert.Equal(Enumerable.Range(0, Labels.Length), parts.SelectMany(part => part).Order());
    }

    [Theory]
    [InlineData("iid")]
    [InlineData("dirichlet:0.5")]
    [InlineData("shards:2")]
    public void Same_seed_gives_the_same_partition_and_another_seed_another(string spec)
    {
        var partitioner = Partitioners.Parse(spec);

        var first = partitioner.Partition(Labels, 10, seed: 1);
        var again = partitioner.Partition(Labels, 10, seed: 1);
        var other = partitioner.Partition(Labels, 10, seed: 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Iid_clients_see_a_roughly_uniform_label_distribution()
    {
        int[][] parts = Partitioners.Parse("iid").Partition(Labels, 10, seed: 5);

        Assert.All(parts, part => Assert.Equal(100, part.Length));
        Assert.True(parts.Max(DominantLabelShare) < 0.25, "no label should dominate an iid client");
        Assert.All(parts, part => Assert.True(part.Select(i => Labels[i]).Distinct().Count() >= 8));
    }

    [Fact]
    public void Dirichlet_0_1_is_far_more_label_skewed_than_iid()
    {
        double iid = Partitioners.Parse("iid").Partition(Labels, 10, seed: 5).Average(DominantLabelShare);
        double dirichlet = Partitioners.Parse("dirichlet:0.1").Partition(Labels, 10, seed: 5).Average(DominantLabelShare);

        Assert.True(iid < 0.2, $"iid dominant-label share {iid}");
        Assert.True(dirichlet > 0.5, $"dirichlet:0.1 dominant-label share {dirichlet}");
    }

    [Fact]
    public void Dirichlet_with_tiny_alpha_and_many_clients_still_feeds_every_client()
    {
        int[][] parts = Partitioners.Parse("dirichlet:0.01").Partition(Labels[..100], clients: 50, seed: 9);

        Assert.All(parts, part => Assert.NotEmpty(part));
        Assert.Equal(100, parts.Sum(part => part.Length));
    }

    [Fact]
    public void Shards_2_gives_most_clients_at_most_two_labels()
    {
        int[][] parts = Partitioners.Parse("shards:2").Partition(Labels, clients: 20, seed: 4);

        int narrow = parts.Count(part => part.Select(i => Labels[i]).Distinct().Count() <= 2);
        Assert.True(narrow >= 18, $"{narrow} of 20 clients have at most two labels");
        Assert.All(parts, part => Assert.Equal(50, part.Length));
    }

    [Theory]
    [InlineData(" IID ", "iid")]
    [InlineData("Dirichlet:0.50", "dirichlet:0.5")]
    [InlineData("shards:3", "shards:3")]
    public void Spec_is_canonical(string spec, string canonical) => Assert.Equal(canonical, Partitioners.Parse(spec).Spec);

    [Theory]
    [InlineData("")]
    [InlineData("random")]
    [InlineData("iid:2")]
    [InlineData("dirichlet")]
    [InlineData("dirichlet:0")]
    [InlineData("dirichlet:-1")]
    [InlineData("dirichlet:abc")]
    [InlineData("shards:0")]
    [InlineData("shards:1.5")]
    public void Bad_spec_is_an_ArgumentException_quoting_it(string spec) =>
        Assert.Contains($"'{spec}'", Assert.Throws<ArgumentException>(() => Partitioners.Parse(spec)).Message);

    [Fact]
    public void More_clients_than_samples_is_an_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => Partitioners.Parse("iid").Partition(Labels[..5], clients: 6, seed: 1));

    private static double DominantLabelShare(int[] part) =>
        part.GroupBy(i => Labels[i]).Max(group => group.Count()) / (double)part.Length;
}
