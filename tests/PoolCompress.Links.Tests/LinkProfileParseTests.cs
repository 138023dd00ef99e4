namespace PoolCompress.Links.Tests;

public class LinkProfileParseTests
{
    [Theory]
    [InlineData("3g", 768e3, 1.6e6, 300)]
    [InlineData("lte", 12e6, 12e6, 70)]
    [InlineData("dsl", 384e3, 1.5e6, 50)]
    [InlineData("fiber", 5e6, 20e6, 4)]
    [InlineData(" LTE ", 12e6, 12e6, 70)]
    public void Reads_every_named_profile(string spec, double up, double down, int rttMs)
    {
        var link = LinkProfile.Parse(spec);

        Assert.Equal(spec.Trim().ToLowerInvariant(), link.Name);
        Assert.Equal(up, link.UplinkBitsPerSecond);
        Assert.Equal(down, link.DownlinkBitsPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(rttMs), link.RoundTrip);
    }

    [Fact]
    public void Lists_the_four_named_profiles()
    {
        Assert.Equal(["3g", "dsl", "fiber", "lte"], LinkProfiles.Named.Keys.Order());
        Assert.All(LinkProfiles.Named, pair => Assert.Same(pair.Value, LinkProfile.Parse(pair.Key)));
    }

    [Theory]
    [InlineData("up=1mbit,down=10mbit,rtt=50ms", 1e6, 10e6, 50)]
    [InlineData("up=500bit,down=2kbit", 500, 2e3, 0)]
    [InlineData("up=1gbit,down=3gbit,rtt=0.25s", 1e9, 3e9, 250)]
    [InlineData(" rtt = 2s , down=1.6mbit,UP=768Kbit ", 768e3, 1.6e6, 2000)]
    [InlineData("up=0.5mbit,down=1.5MBIT,rtt=0ms", 5e5, 1.5e6, 0)]
    public void Reads_explicit_links_with_every_unit_in_any_order(string spec, double up, double down, int rttMs)
    {
        var link = LinkProfile.Parse(spec);

        Assert.Equal(spec.Trim(), link.Name);
        Assert.Equal(up, link.UplinkBitsPerSecond);
        Assert.Equal(down, link.DownlinkBitsPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(rttMs), link.RoundTrip);
    }

    [Theory]
    [InlineData("", "link '': the spec is empty; expected a profile name (3g, lte, dsl, fiber) or up=RATE,down=RATE[,rtt=TIME]")]
    [InlineData("  ", "the spec is empty")]
    [InlineData("wifi", "unknown profile 'wifi'; named profiles are 3g, lte, dsl, fiber, or write up=RATE,down=RATE[,rtt=TIME]")]
    [InlineData("up=5mbps,down=1mbit", "unknown unit 'mbps' in 'up=5mbps'; rates take bit, kbit, mbit or gbit (bits per second)")]
    [InlineData("up=1mbit,down=1mbit,rtt=5min", "unknown unit 'min' in 'rtt=5min'; rtt takes ms or s")]
    [InlineData("up=-1mbit,down=1mbit", "'up=-1mbit': a rate must be > 0 and at most 1000gbit")]
    [InlineData("up=0kbit,down=1mbit", "'up=0kbit': a rate must be > 0")]
    [InlineData("up=1mbit,down=2000gbit", "'down=2000gbit': a rate must be > 0 and at most 1000gbit")]
    [InlineData("up=1mbit,down=1mbit,rtt=-5ms", "'rtt=-5ms': the round trip must be from 0 to 3600s")]
    [InlineData("up=,down=1mbit", "'up=' has no value; expected a number and a unit (rates take bit, kbit, mbit or gbit (bits per second))")]
    [InlineData("up,down=1mbit", "'up' has no value")]
    [InlineData("up=5,down=1mbit", "'up=5' has no unit; rates take bit, kbit, mbit or gbit")]
    [InlineData("up=1.2.3mbit,down=1mbit", "'up=1.2.3mbit': '1.2.3' is not a number")]
    [InlineData("up=1mbit,down=1mbit,loss=1", "unknown key 'loss' in 'loss=1'; allowed keys are up, down and rtt")]
    [InlineData("up=1mbit,down=1mbit,", "unknown key '' in ''")]
    [InlineData("up=1mbit,up=2mbit,down=1mbit", "'up=2mbit' repeats a key that was already given")]
    [InlineData("up=1mbit,rtt=5ms", "link 'up=1mbit,rtt=5ms': missing down=RATE; expected up=RATE,down=RATE[,rtt=TIME]")]
    [InlineData("down=1mbit", "missing up=RATE")]
    public void Rejects_bad_specs_naming_the_part_and_what_is_allowed(string spec, string expectedMessagePart)
    {
        var error = Assert.Throws<LinkSpecException>(() => LinkProfile.Parse(spec));
        Assert.Contains(expectedMessagePart, error.Message);
    }
}
