using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>What secure aggregation refuses at start-up, and what its flag alone turns off.</summary>
public sealed class SecureAggregationSettingsTests
{
    public static TheoryData<Action<FederationSettings>, string> Refused => new()
    {
        { s => s.Strategy = "median", "strategy 'median' combines the updates one by one" },
        { s => s.Strategy = "trimmed:beta=0.2", "strategy 'trimmed:beta=0.2' combines the updates one by one" },
        { s => s.Strategy = "multikrum:f=1", "strategy 'multikrum:f=1' combines the updates one by one" },
        { s => s.ClipNorm = 2, "clip-norm needs each update's norm" },
        { s => s.AdaptiveClipNorm = "adaptive:factor=2", "clip-norm needs each update's norm" },
        { s => (s.DpNoiseMultiplier, s.ClipNorm) = (1, 1), "dp-noise-multiplier is calibrated to a bound" },
        { s => s.Codec = "topk:0.01>q:4", "codec 'topk:0.01>q:4' chooses positions per client" },
        { s => (s.Clients, s.SecureLevels) = (100_000, 30_000), "can sum past 32 bits" },
        { s => s.SecureSupport = 0, "secure-support must be in (0, 1]" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_needs_one_clients_update_is_refused_in_one_line(Action<FederationSettings> change, string expected)
    {
        var settings = new FederationSettings { SecureAggregation = true, Dataset = "synthetic" };
        change(settings);

        var result = new FederationSettingsValidator().Validate(null, settings);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void The_flag_alone_is_valid_and_turns_off_the_default_adaptive_clipping()
    {
        var settings = new FederationSettings { SecureAggregation = true, Dataset = "synthetic" };

        Assert.True(new FederationSettingsValidator().Validate(null, settings).Succeeded);
        Assert.Null(settings.ParseAdaptiveClipping());
        Assert.NotNull(new FederationSettings().ParseAdaptiveClipping());
    }
}
