using PoolCompress.Coordinator.Strategies;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Telemetry;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The federated (clients score the model) and central (the coordinator scores it) evaluations, and the long-poll signal.</summary>
public sealed class EvaluationRoundsTests
{
    private readonly FederationState _state = new() { Phase = FederationPhase.Evaluating, Round = 2, ModelVersion = 3 };

    private static ClientEvaluation Report(string client, double accuracy) => new(client, 10, 0.5, accuracy, 0.5, [0.5, 0.5], [5, 5], null);

    private static RoundMetrics Unevaluated(int round) =>
        new(round, double.NaN, double.NaN, 1, 1, 0, 0, 0, double.NaN, 0, round + 1, 0, 0, [], 0, 0, 0, 0, 0);

    [Fact]
    public void The_federated_evaluation_is_done_when_every_asked_client_answered_and_says_so_once()
    {
        var evaluation = new FederatedEvaluationRound(_state, FederatedStrategies.Create("fedavg"), NullLogger.Instance);
        evaluation.Begin(["a", "b"]);

        Assert.Equal(UpdateVerdict.NotSelected, evaluation.Report(2, 3, Report("z", 1)));
        Assert.Equal(UpdateVerdict.Stale, evaluation.Report(1, 3, Report("a", 1)));
        Assert.Equal(UpdateVerdict.Accepted, evaluation.Report(2, 3, Report("a", 1)));
        Assert.False(evaluation.AnsweredAllJustNow());
        Assert.Equal(UpdateVerdict.Duplicate, evaluation.Report(2, 3, Report("a", 1)));
        evaluation.Refuse("b", 2, 3, "malformed");

        Assert.True(evaluation.AnsweredAllJustNow());
        Assert.False(evaluation.AnsweredAllJustNow());
        Assert.False(evaluation.IsAsked("b"));
    }

    [Fact]
    public async Task The_federated_result_joins_the_round_only_once_the_central_evaluation_recorded_it()
    {
        var evaluation = new FederatedEvaluationRound(_state, FederatedStrategies.Create("fedavg"), NullLogger.Instance);
        evaluation.Begin(["a", "b"]);
        evaluation.Report(2, 3, Report("a", 1));
        evaluation.Report(2, 3, Report("b", 0));
        var central = new TaskCompletionSource();

        var recording = evaluation.RecordAsync(central.Task, classes: 2);
        Assert.False(recording.IsCompleted);
        _state.History.Add(Unevaluated(2));
        central.SetResult();
        await recording;

        Assert.Equal(0.5, _state.History[0].FederatedEval!.Accuracy);
        Assert.Equal(2, _state.History[0].FederatedEval!.Clients);
    }

    [Fact]
    public async Task Central_evaluations_join_the_history_in_round_order_and_a_failed_one_leaves_its_test_metrics_empty()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var central = new CentralEvaluation(_state, new ThrowingEvaluator(), new FederationMetrics(services.GetRequiredService<IMeterFactory>()), NullLogger.Instance);
        var first = new TaskCompletionSource<EvaluationResult>();

        central.RecordWhenDone(Unevaluated(1), first.Task, roundSpan: null);
        central.RecordWhenDone(Unevaluated(2), Task.FromResult(new EvaluationResult(0.9, 0.1, 0.8, [0.9], 10)), roundSpan: null);
        await Task.Yield();
        Assert.Empty(_state.History);
        Assert.Equal(2, _state.AwaitingEvaluation.Count);

        first.SetException(new InvalidOperationException("evaluation thread died"));
        await central.Recorded;

        Assert.Equal([1, 2], _state.History.Select(m => m.Round));
        Assert.True(double.IsNaN(_state.History[0].TestAccuracy));
        Assert.Equal(0.9, _state.History[1].TestAccuracy);
        Assert.Empty(_state.AwaitingEvaluation);
    }

    [Fact]
    public async Task A_long_poll_returns_at_a_change_or_at_its_timeout_on_the_clock_it_is_given()
    {
        var clock = new FakeTimeProvider();
        var changes = new ChangeSignal(clock);

        Assert.True(changes.WaitAsync(knownVersion: 5, TimeSpan.FromSeconds(30)).IsCompleted);
        var timedOut = changes.WaitAsync(changes.Version, TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(timedOut.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await timedOut.WaitAsync(TimeSpan.FromSeconds(10));

        var changed = changes.WaitAsync(changes.Version, TimeSpan.FromSeconds(30));
        changes.Signal();
        await changed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, changes.Version);
    }

    private sealed class ThrowingEvaluator : IGlobalModelEvaluator
    {
        public Task<EvaluationResult> EvaluateAsync(float[] weights) => throw new InvalidOperationException("not used here");
    }
}
