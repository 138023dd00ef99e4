using PoolCompress.Coordinator.Aggregation;

namespace PoolCompress.Coordinator.Tests;

public sealed class NormClipperTests
{
    [Fact]
    public void An_update_longer_than_the_bound_is_scaled_down_to_it_keeping_its_direction()
    {
        float[] update = [3f, 4f];

        Assert.True(NormClipper.Clip(update, 1.0));

        Assert.Equal(0.6f, update[0], 6);
        Assert.Equal(0.8f, update[1], 6);
    }

    [Fact]
    public void An_update_at_the_bound_is_left_as_it_is()
    {
        float[] update = [3f, -4f];

        Assert.False(NormClipper.Clip(update, 5.0));

        Assert.Equal([3f, -4f], update);
    }
}
