namespace PoolCompress.Learning.Tests;

public sealed class DatasetTests
{
    [Fact]
    public void Subset_copies_the_chosen_samples_in_the_given_order()
    {
        var data = new Dataset([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], [7, 8, 9], height: 1, width: 2);

        var subset = data.Subset([2, 0]);

        Assert.Equal([0.5f, 0.6f, 0.1f, 0.2f], subset.Images);
        Assert.Equal([9, 7], subset.Labels);
        Assert.Equal((2, 1, 2), (subset.Count, subset.Height, subset.Width));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Subset([3]));
    }

    [Fact]
    public void Rejects_pixel_counts_that_do_not_match_and_labels_outside_0_to_9()
    {
        Assert.Throws<ArgumentException>(() => new Dataset(new float[5], new byte[3], 1, 2));
        Assert.Throws<ArgumentException>(() => new Dataset(new float[2], [10], 1, 2));
    }
}
