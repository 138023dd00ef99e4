using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Tests;

/// <summary>How a task's fit config becomes a client's training options.</summary>
public sealed class FitConfigTests
{
    private static readonly TrainingOptions Federation = new(Epochs: 2, BatchSize: 32, LearningRate: 0.05f, Seed: 9, Momentum: 0.9f, ProximalMu: 0);

    [Fact]
    public void Entries_override_the_federations_options_and_the_rest_stay()
    {
        var options = FitConfig.Apply(Federation, new Dictionary<string, string> { ["proximal_mu"] = "0.01", ["local_epochs"] = "3" });

        Assert.Equal(Federation with { ProximalMu = 0.01f, Epochs = 3 }, options);
    }

    [Fact]
    public void No_entries_train_as_the_federation_says()
    {
        Assert.Equal(Federation, FitConfig.Apply(Federation, new Dictionary<string, string>()));
    }

    [Fact]
    public void A_key_this_client_does_not_know_is_left_alone()
    {
        Assert.Equal(Federation, FitConfig.Apply(Federation, new Dictionary<string, string> { ["server_side_only"] = "x" }));
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(1e-7)]
    [InlineData(0.3333333333)]
    public void A_real_reads_back_as_the_float32_the_protocols_fields_carry(double mu)
    {
        var config = new Dictionary<string, string> { [FitConfig.ProximalMu] = FitConfig.Format(mu) };

        Assert.Equal((double)(float)mu, FitConfig.Real(config, FitConfig.ProximalMu, 0));
    }

    [Theory]
    [InlineData("proximal_mu", "a lot", "fit config 'proximal_mu' must be a finite number, got 'a lot'")]
    [InlineData("learning_rate", "Infinity", "fit config 'learning_rate' must be a finite number, got 'Infinity'")]
    [InlineData("local_epochs", "1.5", "fit config 'local_epochs' must be a whole number, got '1.5'")]
    public void A_malformed_entry_is_refused_with_what_is_wrong(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => FitConfig.Apply(Federation, new Dictionary<string, string> { [key] = value }));

        Assert.Equal(expected, error.Message);
    }
}
