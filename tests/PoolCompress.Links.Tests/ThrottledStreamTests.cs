namespace PoolCompress.Links.Tests;

public class ThrottledStreamTests
{
    private static readonly TimeSpan TickRounding = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task Bytes_pass_through_unchanged_both_ways()
    {
        byte[] data = RandomBytes(100_000);
        var clock = new SteppingClock();
        var sent = new MemoryStream();

        await using (var writer = new ThrottledStream(sent, LinkProfile.Parse("lte"), clock))
            await writer.WriteAsync(data);
        await using var reader = new ThrottledStream(new MemoryStream(sent.ToArray()), LinkProfile.Parse("lte"), clock);
        byte[] received = await ReadToEndAsync(reader, bufferSize: 5_000);

        Assert.Equal(data, received);
    }

    [Fact]
    public async Task Writing_takes_the_bytes_at_the_uplink_rate()
    {
        var clock = new SteppingClock();
        await using var stream = new ThrottledStream(new MemoryStream(), LinkProfile.Parse("up=1mbit,down=100mbit"), clock);

        await stream.WriteAsync(new byte[1_000_000]);

        // 8,000,000 bits at 1 Mbit/s; each full slice waits for its own 16 KiB.
        AssertClose(TimeSpan.FromSeconds(8), clock.Elapsed);
        Assert.All(clock.Delays.SkipLast(1), delay => AssertClose(TimeSpan.FromSeconds(16 * 1024 * 8 / 1e6), delay));
    }

    [Fact]
    public async Task Reading_takes_one_round_trip_then_the_bytes_at_the_downlink_rate()
    {
        var clock = new SteppingClock();
        var link = LinkProfile.Parse("up=100mbit,down=2mbit,rtt=100ms");
        await using var stream = new ThrottledStream(new MemoryStream(new byte[50_000]), link, clock);

        await ReadToEndAsync(stream, bufferSize: 64 * 1024);

        // 100 ms, then 400,000 bits at 2 Mbit/s: the round trip is paid once, not once per slice.
        AssertClose(TimeSpan.FromMilliseconds(300), clock.Elapsed);
    }

    [Fact]
    public async Task The_uplink_and_downlink_run_at_their_own_rates()
    {
        var link = LinkProfile.Parse("up=1mbit,down=4mbit");
        var writeClock = new SteppingClock();
        var readClock = new SteppingClock();
        await using var writer = new ThrottledStream(new MemoryStream(), link, writeClock);
        await using var reader = new ThrottledStream(new MemoryStream(new byte[100_000]), link, readClock);

        await writer.WriteAsync(new byte[100_000]);
        await ReadToEndAsync(reader, bufferSize: 8192);

        AssertClose(TimeSpan.FromSeconds(0.8), writeClock.Elapsed);
        AssertClose(TimeSpan.FromSeconds(0.2), readClock.Elapsed);
    }

    [Fact]
    public async Task A_cancelled_read_loses_no_bytes()
    {
        byte[] data = RandomBytes(1000);
        await using var stream = new ThrottledStream(new MemoryStream(data), LinkProfile.Parse("3g"), new SteppingClock());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[100], new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(data, await ReadToEndAsync(stream, bufferSize: 100));
    }

    [Fact]
    public async Task A_cancelled_write_sends_nothing()
    {
        var sent = new MemoryStream();
        await using var stream = new ThrottledStream(sent, LinkProfile.Parse("3g"), new SteppingClock());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.WriteAsync(new byte[1000], new CancellationToken(canceled: true)).AsTask());

        Assert.Equal(0, sent.Length);
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_without_taking_it()
    {
        await using var stream = new ThrottledStream(new MemoryStream([1, 2, 3]), LinkProfile.Parse("lte"), new SteppingClock());

        Assert.Equal(0, await stream.ReadAsync(Memory<byte>.Empty));
        Assert.Equal([1, 2, 3], await ReadToEndAsync(stream, bufferSize: 10));
    }

    [Fact]
    public void Synchronous_calls_are_throttled_too()
    {
        var clock = new SteppingClock();
        using var stream = new ThrottledStream(new MemoryStream(), LinkProfile.Parse("up=1mbit,down=1mbit"), clock);

        stream.Write(new byte[125_000]);

        AssertClose(TimeSpan.FromSeconds(1), clock.Elapsed);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream, int bufferSize)
    {
        var received = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
            received.Write(buffer, 0, read);
        return received.ToArray();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(1).NextBytes(bytes);
        return bytes;
    }

    private static void AssertClose(TimeSpan expected, TimeSpan actual) =>
        Assert.InRange(actual, expected - TickRounding, expected + TickRounding);
}
