namespace PoolCompress.Links.Tests;

public class ModeledTimeTests
{
    private static readonly LinkProfile Asymmetric = LinkProfile.Parse("up=1mbit,down=10mbit,rtt=50ms");

    [Fact]
    public void Upload_costs_a_round_trip_plus_the_bits_at_the_uplink_rate()
    {
        // 1,000,000 bytes = 8,000,000 bits at 1 Mbit/s = 8 s, plus 50 ms.
        Assert.Equal(TimeSpan.FromSeconds(8.05), Asymmetric.UploadTime(1_000_000));
    }

    [Fact]
    public void Download_of_the_same_bytes_is_ten_times_faster_on_a_ten_times_faster_downlink()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.85), Asymmetric.DownloadTime(1_000_000));
    }

    [Fact]
    public void Nothing_to_send_still_costs_the_round_trip()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(50), Asymmetric.UploadTime(0));
        Assert.Equal(TimeSpan.FromMilliseconds(50), Asymmetric.DownloadTime(0));
    }

    [Fact]
    public void Named_3g_uplink_is_half_its_downlink()
    {
        var link = LinkProfiles.Named["3g"];

        // 96,000 bytes = 768,000 bits: 1 s at 768 kbit/s up, 0.48 s at 1.6 Mbit/s down; 300 ms round trip each.
        Assert.Equal(TimeSpan.FromSeconds(1.3), link.UploadTime(96_000));
        Assert.Equal(TimeSpan.FromSeconds(0.78), link.DownloadTime(96_000));
    }

    [Fact]
    public void Client_timing_adds_download_train_and_upload()
    {
        var timing = ModeledRound.Time(Asymmetric, downlinkBytes: 1_000_000, TimeSpan.FromSeconds(2), uplinkBytes: 125_000);

        Assert.Equal(TimeSpan.FromSeconds(0.85), timing.Download);
        Assert.Equal(TimeSpan.FromSeconds(2), timing.Train);
        Assert.Equal(TimeSpan.FromSeconds(1.05), timing.Upload);
        Assert.Equal(TimeSpan.FromSeconds(3.9), timing.Total);
    }

    [Fact]
    public void Negative_byte_counts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Asymmetric.UploadTime(-1));
    }
}
