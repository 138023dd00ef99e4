namespace PoolCompress.Links.Tests;

public class PacerTests
{
    // 1 Mbit/s = 125,000 bytes/s, so 12,500 bytes take 100 ms.
    private const double OneMegabit = 1e6;
    private static readonly TimeSpan SliceTime = TimeSpan.FromMilliseconds(100);

    private readonly SteppingClock _clock = new();

    [Fact]
    public void Each_batch_waits_for_its_own_serialization_time_behind_the_last()
    {
        var pacer = new Pacer(OneMegabit, _clock);

        Assert.Equal(SliceTime, pacer.Take(12_500, readyAt: 0));
        Assert.Equal(2 * SliceTime, pacer.Take(12_500, readyAt: 0));
    }

    [Fact]
    public void A_caller_woken_late_is_owed_the_lateness_so_the_average_rate_holds()
    {
        var pacer = new Pacer(OneMegabit, _clock);

        _clock.Advance(pacer.Take(12_500, readyAt: 0) + TimeSpan.FromMilliseconds(300));

        // Owed 300 ms: the next 100 ms batch passes at once, and a 400 ms one behind it waits only 200 ms.
        Assert.Equal(TimeSpan.Zero, pacer.Take(12_500, readyAt: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), pacer.Take(50_000, readyAt: 0));
    }

    [Fact]
    public void Bytes_ready_after_the_link_went_idle_earn_no_burst()
    {
        var pacer = new Pacer(OneMegabit, _clock);
        long readyAt = _clock.GetTimestamp() + TimeSpan.FromSeconds(1).Ticks;

        Assert.Equal(TimeSpan.FromSeconds(1) + SliceTime, pacer.Take(12_500, readyAt));
    }

    [Fact]
    public void A_new_batch_soon_after_the_link_fell_idle_follows_straight_on()
    {
        var pacer = new Pacer(OneMegabit, _clock);
        _clock.Advance(pacer.Take(12_500, readyAt: 0) + Pacer.CatchUpAllowance);

        Assert.Equal(SliceTime - Pacer.CatchUpAllowance, pacer.Take(12_500, pacer.ReadyTimeOfNewBatch()));
    }

    [Fact]
    public void A_new_batch_long_after_the_link_fell_idle_starts_afresh()
    {
        var pacer = new Pacer(OneMegabit, _clock);
        _clock.Advance(pacer.Take(12_500, readyAt: 0) + Pacer.CatchUpAllowance + TimeSpan.FromTicks(1));

        Assert.Equal(SliceTime, pacer.Take(12_500, pacer.ReadyTimeOfNewBatch()));
    }
}
