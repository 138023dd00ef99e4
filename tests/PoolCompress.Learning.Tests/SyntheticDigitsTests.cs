namespace PoolCompress.Learning.Tests;

public sealed class SyntheticDigitsTests
{
    [Fact]
    public void Same_seed_gives_the_same_balanced_images_in_0_1()
    {
        var split = SyntheticDigits.Create(trainCount: 100, testCount: 20, seed: 3);
        var again = SyntheticDigits.Create(trainCount: 100, testCount: 20, seed: 3);
        var other = SyntheticDigits.Create(trainCount: 100, testCount: 20, seed: 4);

        Assert.Equal((100, 20, 28, 28), (split.Train.Count, split.Test.Count, split.Train.Height, split.Train.Width));
        Assert.All(Enumerable.Range(0, 10), digit => Assert.Equal(10, split.Train.Labels.Count(label => label == digit)));
        Assert.All(split.Train.Images, pixel => Assert.InRange(pixel, 0f, 1f));
        Assert.Equal(split.Train.Images, again.Train.Images);
        Assert.Equal(split.Test.Images, again.Test.Images);
        Assert.NotEqual(split.Train.Images, other.Train.Images);
    }
}
