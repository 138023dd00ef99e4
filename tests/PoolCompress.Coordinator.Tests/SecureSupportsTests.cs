using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>A secure round's support as the coordinator chooses it: from the seed first, then following the global model's last step.</summary>
public sealed class SecureSupportsTests : IDisposable
{
    private readonly InMemoryModelStore _store = new();
    private readonly IOptions<FederationSettings> _settings = Options.Create(new FederationSettings
    {
        FederationId = "fed", Dataset = "synthetic", SecureAggregation = true, SecureSupport = 0.01, SecureFollow = 0.5,
    });
    private readonly CoordinatorModel _model;

    public SecureSupportsTests() => _model = new CoordinatorModel(_settings, Options.Create(new CoordinatorOptions()));

    public void Dispose() => _model.Dispose();

    private SecureRoundTicket Ticket(int round, long modelVersion) => SecureRoundTicket.For(
        _settings.Value, new RoundAttempt(round, 0), modelVersion, ["a", "b", "c"], DateTimeOffset.UnixEpoch, _model.ParameterCount);

    private async Task<int[]> StepAt(long version, params int[] moved)
    {
        var before = _model.CreateInitialWeights();
        var after = (float[])before.Clone();
        for (int i = 0; i < moved.Length; i++) after[moved[i]] += (i + 1) * 0.01f;
        await _store.SaveAsync(ModelSeries.Global("fed"), version - 1, before);
        await _store.SaveAsync(ModelSeries.Global("fed"), version, after);
        return moved;
    }

    [Fact]
    public async Task The_first_round_draws_its_support_from_the_seed_and_names_none()
    {
        var ticket = Ticket(round: 1, modelVersion: 1);

        var support = await new SecureSupports(_store, _model, _settings).ForAsync(ticket);

        Assert.Empty(support.Named);
        Assert.Equal(SharedSupport.Choose(_model.ParameterCount, ticket.SupportCount, SecureRoundDesign.For(ticket, _settings.Value).RoundSeed), support.Coordinates);
    }

    [Fact]
    public async Task A_later_round_follows_the_last_step_names_its_coordinates_and_every_silo_agrees()
    {
        var moved = await StepAt(version: 2, 5, 70_000, 1_000_000);
        var ticket = Ticket(round: 2, modelVersion: 2);

        var support = await new SecureSupports(_store, _model, _settings).ForAsync(ticket);
        var otherSilo = await new SecureSupports(_store, _model, _settings).ForAsync(ticket);

        Assert.Equal(ticket.SupportCount, support.Coordinates.Length);
        Assert.Subset(support.Coordinates.ToHashSet(), moved.ToHashSet());
        Assert.Equal(support.Coordinates, SupportList.Read(support.Named, _model.ParameterCount, ticket.SupportCount, roundSeed: 0));
        Assert.Equal(support.Coordinates, otherSilo.Coordinates);
    }

    [Fact]
    public async Task Without_secure_follow_or_a_previous_model_the_support_is_drawn()
    {
        await StepAt(version: 2, 5, 70_000);
        _settings.Value.SecureFollow = 0;

        Assert.Empty((await new SecureSupports(_store, _model, _settings).ForAsync(Ticket(2, 2))).Named);
        _settings.Value.SecureFollow = 0.5;
        Assert.Empty((await new SecureSupports(_store, _model, _settings).ForAsync(Ticket(5, 5))).Named);
    }
}
