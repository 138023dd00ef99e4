using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Privacy;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// The RDP accountant against the values TensorFlow Privacy's rdp_accountant_test and Opacus' documentation print for
/// the same sampling rate, noise multiplier and steps; and the noise the coordinator adds.
/// </summary>
public sealed class DifferentialPrivacyTests
{
    [Fact]
    public void Rdp_without_sampling_is_that_of_the_gaussian_mechanism_and_without_data_is_zero()
    {
        Assert.Equal(0.1, SampledGaussianRdp.Of(q: 1, z: 10, order: 20), 12);
        Assert.Equal(0, SampledGaussianRdp.Of(q: 0, z: 10, order: 20));
    }

    [Fact]
    public void Rdp_at_an_integer_order_matches_tensorflow_privacy()
    {
        // compute_rdp(q=0.1, noise_multiplier=2, steps=10, orders=5) = 0.07737.
        Assert.Equal(0.07737, 10 * SampledGaussianRdp.Of(q: 0.1, z: 2, order: 5), 5);
    }

    [Theory]
    [InlineData(1.5, 0.00065)]
    [InlineData(2.5, 0.001085)]
    [InlineData(5, 0.00218075)]
    [InlineData(50, 0.023846)]
    [InlineData(100, 167.416307)]
    public void Rdp_at_fractional_and_large_orders_matches_tensorflow_privacy(double order, double expected)
    {
        // compute_rdp(q=0.01, noise_multiplier=2.5, steps=50, orders=[1.5, 2.5, 5, 50, 100]), to within 1e-5.
        Assert.InRange(50 * SampledGaussianRdp.Of(q: 0.01, z: 2.5, order: order), expected - 1e-5, expected + 1e-5);
    }

    [Fact]
    public void Epsilon_of_a_composition_matches_the_opacus_example()
    {
        // Opacus' rdp.py: 10 steps at (q=1e-5, z=1) then 4 at (q=1e-4, z=3), orders 2..32, delta 1e-5: (0.336, 23).
        double[] orders = [.. Enumerable.Range(2, 31).Select(o => (double)o)];
        double[] rdp = [.. orders.Select(o => 10 * SampledGaussianRdp.Of(1e-5, 1.0, o) + 4 * SampledGaussianRdp.Of(1e-4, 3.0, o))];

        var (epsilon, order) = RdpAccountant.Epsilon(rdp, orders, delta: 1e-5);

        Assert.Equal(0.336, epsilon, 3);
        Assert.Equal(23, order);
    }

    [Fact]
    public void Epsilon_grows_with_rounds_and_shrinks_with_noise()
    {
        double Epsilon(double z, int steps) => RdpAccountant.Epsilon(q: 0.1, z, steps, delta: 1e-5).Epsilon;

        Assert.True(Epsilon(1.0, 20) > Epsilon(1.0, 10));
        Assert.True(Epsilon(2.0, 10) < Epsilon(1.0, 10));
    }

    [Theory]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(10.0, 2.088487583762545e-45)]
    [InlineData(-1.0, 1.8427007929497148)]
    public void Log_erfc_is_accurate_from_the_centre_to_the_far_tail(double x, double erfc)
    {
        Assert.Equal(Math.Log(erfc), ComplementaryErrorFunction.Log(x), 12);
    }

    [Fact]
    public void The_noise_has_the_standard_deviation_z_times_c_and_a_seeded_run_draws_it_again()
    {
        var privacy = new ClientLevelPrivacy(noiseMultiplier: 2, clipNorm: 0.5, delta: 1e-5, seed: 42);
        float[] first = Noisy(privacy, new RoundAttempt(3, 0)), again = Noisy(privacy, new RoundAttempt(3, 0)), next = Noisy(privacy, new RoundAttempt(4, 0));

        Assert.Equal(first, again);
        Assert.NotEqual(first, next);
        // One update of zeros, weight 1: the mean is the noise itself, N(0, 1) here; 20,000 draws put the sample
        // deviation within 3% of 1 far beyond any reasonable doubt.
        double deviation = Math.Sqrt(first.Average(v => (double)v * v));
        Assert.InRange(deviation, 0.97, 1.03);
        Assert.InRange(first.Average(v => (double)v), -0.03, 0.03);
    }

    [Fact]
    public void Each_release_is_counted_so_epsilon_after_rounds_is_the_accountant_s()
    {
        var privacy = new ClientLevelPrivacy(noiseMultiplier: 1.1, clipNorm: 1, delta: 1e-5, seed: 1);
        var spent = new List<double>();
        for (int round = 1; round <= 5; round++)
        {
            var sum = new FedAvgAggregator(4);
            sum.Add(new float[4], sampleCount: 1);
            privacy.Release(sum, new RoundAttempt(round, 0), samplingRate: 0.2, spent);
        }

        Assert.Equal(RdpAccountant.Epsilon(q: 0.2, z: 1.1, steps: 5, delta: 1e-5).Epsilon, privacy.Epsilon(spent), 10);
        Assert.Equal(0, privacy.Epsilon([]));
    }

    [Theory]
    [InlineData(null, "fedavg", 1e-5, "dp-noise-multiplier needs clip-norm")]
    [InlineData(1.0, "median", 1e-5, "strategy 'median' does not use that sum")]
    [InlineData(1.0, "fedavg", 1.0, "dp-delta must be in (0, 1), got 1")]
    public void Settings_that_would_not_give_the_promised_privacy_are_refused(double? clipNorm, string strategy, double delta, string expected)
    {
        var settings = new FederationSettings { DpNoiseMultiplier = 1.0, ClipNorm = clipNorm, Strategy = strategy, DpDelta = delta, Dataset = "synthetic" };

        var result = new FederationSettingsValidator().Validate(null, settings);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void Under_differential_privacy_every_client_weighs_the_same()
    {
        var settings = new FederationSettings { DpNoiseMultiplier = 1.0, ClipNorm = 1 };

        Assert.Equal(1, ClientWeights.For(5000, settings));
    }

    private static float[] Noisy(ClientLevelPrivacy privacy, RoundAttempt attempt)
    {
        var sum = new FedAvgAggregator(20_000);
        sum.Add(new float[20_000], sampleCount: 1);
        privacy.Release(sum, attempt, samplingRate: 0.1, []);
        var mean = new float[20_000];
        sum.ToWeightedUpdates().MeanUpdate(mean);
        return mean;
    }
}
