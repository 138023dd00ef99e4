using PoolCompress.Coordinator.Strategies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The reducer over stub silos and a stub model store: reduce, strategy step and saves under the next version.</summary>
public sealed class RoundReducerTests : IDisposable
{
    private static readonly TrainingReport Training = new(0.5, 1, 0, 10, 20);
    private readonly FederationState _state = new() { ModelVersion = 1, Clients = { ["a"] = 1, ["b"] = 3 }, Selected = ["a", "b"] };
    private readonly StubPartialSums _silos = new();
    private readonly RecordingModelStore _store = new();
    private readonly CoordinatorModel _model;
    private readonly RoundReducer _reducer;

    public RoundReducerTests()
    {
        var settings = Options.Create(new FederationSettings { FederationId = "fed", Dataset = "synthetic", Strategy = "fedavgm" });
        _state.Settings = settings.Value;
        _model = new CoordinatorModel(settings, Options.Create(new CoordinatorOptions()));
        _reducer = new RoundReducer(_state, FederatedStrategies.Create(settings.Value.Strategy), _silos, _store, new DownlinkEncoder(_model, settings), NullLogger.Instance);
    }

    public void Dispose() => _model.Dispose();

    private static RoundContributions Delivered(params (string Client, string Silo)[] updates)
    {
        var round = new RoundContributions(new RoundAttempt(1, 0));
        foreach (var (client, silo) in updates)
        {
            round.Admit(client, silo, Training);
            round.Deliver(client, silo);
        }
        return round;
    }

    [Fact]
    public async Task Sums_from_two_silos_make_the_weighted_mean_step_saved_with_the_strategy_under_the_next_version()
    {
        await _reducer.StartAsync([1f, 1f]);
        _silos.Sums["fed|s1"] = new PartialSum([2, 4], 1, ["a"], 0.5);
        _silos.Sums["fed|s2"] = new PartialSum([6, 0], 3, ["b"], 0.25);
        var round = Delivered(("a", "fed|s1"), ("b", "fed|s2"));

        var sum = await _reducer.ReduceAsync(round);
        Assert.NotNull(sum);
        Assert.Equal(2, sum.Total.Updates);
        Assert.Equal(0.75, sum.SummingSeconds);

        var stepped = _reducer.Step(sum.Total, round.Attempt, privacy: null);
        Assert.Equal([3f, 2f], stepped.Global);
        Assert.Same(stepped.Global, stepped.Published);
        Assert.Equal(2, stepped.Version);
        Assert.Equal(1, _state.StrategySteps);

        await _reducer.CommitAsync(stepped);
        Assert.Equal(2, _state.ModelVersion);
        Assert.Equal([3f, 2f], _store.Saved[("fed", 2)]);
        Assert.Equal([2f, 1f], _store.Saved[("fed.strategy.velocity", 2)]);
        Assert.Equal([1f, 1f], _store.Saved[("fed", 1)]);
    }

    [Fact]
    public async Task A_sum_lost_with_its_silo_reduces_to_nothing_and_its_task_bytes_count_when_the_round_closes()
    {
        await _reducer.StartAsync([0f, 0f]);
        _silos.Sums["fed|s1"] = new PartialSum([1, 1], 1, ["a"], 0);
        _silos.Gone.Add("fed|s2");
        var round = Delivered(("a", "fed|s1"), ("b", "fed|s2"));

        Assert.Null(await _reducer.ReduceAsync(round));

        _silos.Gone.Clear();
        _silos.Sums["fed|s2"] = PartialSum.Empty;
        var rerun = Delivered(("a", "fed|s1"));
        var sum = await _reducer.ReduceAsync(rerun);
        Assert.NotNull(sum);
        var (spent, _) = _reducer.CloseTraffic(sum);
        Assert.Equal(new TrafficSnapshot(10, 20), spent);
    }

    [Fact]
    public async Task A_round_whose_updates_all_came_late_keeps_the_model_and_takes_no_strategy_step()
    {
        await _reducer.StartAsync([5f, 5f]);
        var sum = new FedAvgAggregator(2);

        var stepped = _reducer.Step(sum, new RoundAttempt(1, 0), privacy: null);

        Assert.Equal([5f, 5f], stepped.Global);
        Assert.Equal(0, _state.StrategySteps);
        Assert.Equal(2, stepped.Version);
    }
}
