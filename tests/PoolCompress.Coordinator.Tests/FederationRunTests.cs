using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Tests;

/// <summary>
/// The federation's run between phases on a fake clock, with the grain's timer and storage stood in for: what starts a
/// round, what its deadline does, how settled rounds close in a turn of their own, and how the federation ends.
/// </summary>
public sealed class FederationRunTests : IDisposable
{
    private const string Silo = "fed|s1";
    private static readonly TrainingReport Training = new(0.5, 1, 0, 10, 20);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly FederationState _state = new();
    private readonly StubPartialSums _silos = new();
    private readonly FakeHost _host;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CoordinatorModel _model;
    private readonly RoundLifecycle _lifecycle;
    private readonly RoundReducer _reducer;
    private readonly FederationRun _run;

    public FederationRunTests()
    {
        _host = new FakeHost(_clock);
        var settings = Options.Create(new FederationSettings
        {
            FederationId = "fed", Dataset = "synthetic", Clients = 2, MinClients = 2, Rounds = 2, RoundTimeout = TimeSpan.FromSeconds(30),
        });
        var strategy = FederatedStrategies.Create("fedavg");
        _model = new CoordinatorModel(settings, Options.Create(new CoordinatorOptions()));
        _lifecycle = new RoundLifecycle(_state, strategy, _clock, "fed", NullLogger.Instance);
        _reducer = new RoundReducer(_state, strategy, _silos, new RecordingModelStore(), new DownlinkEncoder(_model, settings), NullLogger.Instance);
        var central = new CentralEvaluation(_state, new FixedEvaluator(), new FederationMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger.Instance);
        var closer = new RoundCloser(_state, _lifecycle, _reducer, central, _clock, NullLogger.Instance);
        var evaluation = new FederatedEvaluationRound(_state, strategy, NullLogger.Instance);
        _run = new FederationRun(_state, _host, _lifecycle, closer, evaluation, central, new ChangeSignal(_clock), classes: 10, NullLogger.Instance);
        _lifecycle.Configure(settings.Value);
    }

    public void Dispose()
    {
        _model.Dispose();
        _services.Dispose();
    }

    private async Task StartFirstRoundAsync()
    {
        await _reducer.StartAsync([0f, 0f]);
        _lifecycle.AddClient("a", 100);
        _lifecycle.AddClient("b", 100);
        await _run.Advance(RoundOutcome.StartFirstRound);
    }

    /// <summary>A client's update confirmed into the stub silo, then the run told of the answer as the grain tells it.</summary>
    private void Deliver(string client, double[] weightedSum)
    {
        var admission = _lifecycle.Admit(client, _state.Round, _state.ModelVersion, Silo, Training);
        Assert.Equal(UpdateVerdict.Accepted, _lifecycle.Confirm(client, admission.RoundAttempt, Silo));
        var before = _silos.Sums.GetValueOrDefault(Silo);
        _silos.Sums[Silo] = new PartialSum(weightedSum, (before?.TotalWeight ?? 0) + 100, [.. before?.Contributors ?? [], client], 0);
        Assert.Same(client, _run.CloseRoundSoonIfSettled(client));
    }

    [Fact]
    public async Task The_first_round_starts_stored_with_every_client_selected_and_its_deadline_armed()
    {
        await StartFirstRoundAsync();

        Assert.Equal((FederationPhase.Training, 1, 0), (_state.Phase, _state.Round, _state.Attempt));
        Assert.Equal(["a", "b"], _state.Selected.Order());
        Assert.Equal(1, _host.Writes);
        Assert.Equal(TimeSpan.FromSeconds(30), _host.DueIn);
    }

    [Fact]
    public async Task A_timer_that_fires_before_the_deadline_only_arms_it_again_for_the_time_left()
    {
        await StartFirstRoundAsync();

        _clock.Advance(TimeSpan.FromSeconds(10));
        await _host.FireAsync();

        Assert.Equal((1, 0), (_state.Round, _state.Attempt));
        Assert.Equal(TimeSpan.FromSeconds(20), _host.DueIn);
    }

    [Fact]
    public async Task A_deadline_without_any_update_runs_the_round_again_with_new_clients_and_a_new_deadline()
    {
        await StartFirstRoundAsync();

        _clock.Advance(TimeSpan.FromSeconds(30));
        await _host.FireAsync();

        Assert.Equal((FederationPhase.Training, 1, 1), (_state.Phase, _state.Round, _state.Attempt));
        Assert.Equal(1L, _state.ModelVersion);
        Assert.Equal(2, _host.Writes);
        Assert.Equal(TimeSpan.FromSeconds(30), _host.DueIn);
    }

    [Fact]
    public async Task A_round_closes_in_a_turn_of_its_own_once_every_selected_client_settled()
    {
        await StartFirstRoundAsync();

        Deliver("a", [100, 200]);
        Assert.Equal(TimeSpan.FromSeconds(30), _host.DueIn);
        Deliver("b", [200, 400]);
        Assert.Equal(1, _state.Round);
        Assert.Equal(TimeSpan.Zero, _host.DueIn);

        await _host.FireAsync();

        Assert.Equal((FederationPhase.Training, 2, 0), (_state.Phase, _state.Round, _state.Attempt));
        Assert.Equal(2L, _state.ModelVersion);
        Assert.Equal(TimeSpan.FromSeconds(30), _host.DueIn);
    }

    [Fact]
    public async Task After_the_last_round_the_federation_is_done_once_its_evaluation_is_recorded_and_stored()
    {
        await StartFirstRoundAsync();
        foreach (int round in new[] { 1, 2 })
        {
            _silos.Sums.Clear();
            Deliver("a", [round, round]);
            Deliver("b", [round, round]);
            await _host.FireAsync();
        }

        await _run.Finishing;

        Assert.Equal(FederationPhase.Done, _state.Phase);
        Assert.Equal([1, 2], _state.History.Select(r => r.Round));
        Assert.All(_state.History, r => Assert.Equal(0.75, r.TestAccuracy));
        Assert.Equal(3, _host.Writes);
    }

    /// <summary>The grain's one timer and its storage: a callback armed is run when the test says the timer fired.</summary>
    private sealed class FakeHost(TimeProvider clock) : IFederationHost
    {
        private (DateTimeOffset At, Func<Task> Callback)? _armed;

        public int Writes { get; private set; }

        /// <summary>How long until the armed timer is due; null when none is armed.</summary>
        public TimeSpan? DueIn => _armed is { } armed ? armed.At - clock.GetUtcNow() : null;

        public Task WriteStateAsync()
        {
            Writes++;
            return Task.CompletedTask;
        }

        public void Arm(TimeSpan dueTime, Func<Task> callback) => _armed = (clock.GetUtcNow() + dueTime, callback);

        public void Disarm() => _armed = null;

        public void Deactivate() => throw new InvalidOperationException("the run deactivated the grain");

        /// <summary>Runs the armed callback as the timer would, once; the callback may arm the timer again.</summary>
        public Task FireAsync()
        {
            var (_, callback) = _armed ?? throw new InvalidOperationException("no timer is armed");
            _armed = null;
            return callback();
        }
    }

    private sealed class FixedEvaluator : IGlobalModelEvaluator
    {
        public Task<EvaluationResult> EvaluateAsync(float[] weights) => Task.FromResult(new EvaluationResult(0.75, 0.5, 0.7, new double[10], 100));
    }
}
