using PoolCompress.Coordinator.Strategies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The federation's state machine on a fake clock: phases, selection, settling and what each deadline means.</summary>
public sealed class RoundLifecycleTests
{
    private static readonly TrainingReport Training = new(0.5, 1, 0, 10, 20);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly FederationState _state = new();
    private readonly RoundLifecycle _lifecycle;

    public RoundLifecycleTests() => _lifecycle = new RoundLifecycle(_state, FederatedStrategies.Create("fedavg"), _clock, "test", NullLogger.Instance);

    private static FederationSettings Settings(int clients = 4, int minClients = 2, double fraction = 1.0) => new()
    {
        Clients = clients, MinClients = minClients, Fraction = fraction, Rounds = 3,
        RoundTimeout = TimeSpan.FromSeconds(30), JoinTimeout = TimeSpan.FromSeconds(10), Seed = 7,
    };

    private void Join(params string[] clients)
    {
        foreach (string client in clients) _lifecycle.AddClient(client, 100);
    }

    private void Deliver(string client)
    {
        var admission = _lifecycle.Admit(client, _state.Round, _state.ModelVersion, "silo", Training);
        Assert.Equal(UpdateVerdict.Accepted, admission.Verdict);
        Assert.Equal(UpdateVerdict.Accepted, _lifecycle.Confirm(client, admission.RoundAttempt, "silo"));
    }

    [Fact]
    public void Configuring_waits_for_clients_and_the_first_round_starts_once_all_joined()
    {
        Assert.True(_lifecycle.Configure(Settings()));
        Assert.Equal(FederationPhase.WaitingForClients, _state.Phase);
        Assert.Equal(1, _state.ModelVersion);

        Join("a", "b", "c");
        Assert.False(_lifecycle.ShouldStartFirstRound);
        Join("d");
        Assert.True(_lifecycle.ShouldStartFirstRound);
    }

    [Fact]
    public void The_same_settings_again_are_no_change_and_other_settings_are_refused()
    {
        _lifecycle.Configure(Settings());

        Assert.False(_lifecycle.Configure(Settings()));
        Assert.Throws<InvalidOperationException>(() => _lifecycle.Configure(Settings(clients: 5)));
    }

    [Fact]
    public void The_join_deadline_waits_again_below_min_clients_and_starts_the_first_round_at_min_clients()
    {
        _lifecycle.Configure(Settings());
        Join("a");

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.AtDeadline());
        Assert.Equal(TimeSpan.FromSeconds(1), _lifecycle.UntilDeadline);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.AtDeadline());
        Assert.Equal(TimeSpan.FromSeconds(10), _lifecycle.UntilDeadline);

        Join("b");
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(RoundOutcome.StartFirstRound, _lifecycle.AtDeadline());
    }

    [Fact]
    public void A_round_closes_at_its_deadline_and_not_a_tick_before()
    {
        _lifecycle.Configure(Settings());
        Join("a", "b", "c", "d");
        _lifecycle.Begin(1, 0);

        _clock.Advance(TimeSpan.FromSeconds(30) - TimeSpan.FromTicks(1));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.AtDeadline());
        Assert.Equal(TimeSpan.FromTicks(1), _lifecycle.UntilDeadline);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(RoundOutcome.CloseRound, _lifecycle.AtDeadline());
        Assert.Equal(RoundOutcome.None, _lifecycle.AtDeadline());
    }

    [Fact]
    public void Each_attempt_gets_a_whole_round_timeout_but_the_wall_time_spans_every_attempt()
    {
        _lifecycle.Configure(Settings());
        Join("a", "b", "c", "d");
        _lifecycle.Begin(1, 0);
        _clock.Advance(TimeSpan.FromSeconds(30));
        _lifecycle.Begin(1, 1);

        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.AtDeadline());
        Assert.Equal(50, _lifecycle.RoundWallSeconds, precision: 6);
    }

    [Fact]
    public void The_evaluation_deadline_is_a_round_timeout_after_it_starts()
    {
        _lifecycle.Configure(Settings());
        Join("a", "b", "c", "d");
        _lifecycle.Begin(1, 0);
        _lifecycle.BeginEvaluation();

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.AtDeadline());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RoundOutcome.FinishEvaluation, _lifecycle.AtDeadline());
    }

    [Fact]
    public void A_rerun_with_the_same_clients_keeps_the_selection_and_the_target_however_many_joined_since()
    {
        _lifecycle.Configure(Settings(clients: 4, minClients: 2, fraction: 0.5));
        Join("a", "b", "c", "d");
        _lifecycle.Begin(1, 0);
        var selected = _state.Selected.ToList();
        Assert.Equal(2, _state.RoundTarget);

        Join("e", "f", "g", "h");
        _lifecycle.Begin(1, 1, sameClients: true);

        Assert.Equal(selected, _state.Selected);
        Assert.Equal(2, _state.RoundTarget);
        Assert.Equal(1, _state.Attempt);

        _lifecycle.Begin(1, 2);
        Assert.Equal(4, _state.RoundTarget);
        Assert.Equal(4, _state.Selected.Count);
    }

    [Fact]
    public void A_rerun_of_a_state_stored_before_the_target_was_kept_sets_the_target()
    {
        _lifecycle.Configure(Settings());
        Join("a", "b", "c", "d");
        _state.Phase = FederationPhase.Training;
        _state.Selected = ["a", "b"];

        _lifecycle.Begin(2, 1, sameClients: true);

        Assert.Equal(4, _state.RoundTarget);
        Assert.Equal(["a", "b"], _state.Selected);
    }

    [Fact]
    public void The_round_can_close_once_every_selected_client_settled_and_says_so_once()
    {
        _lifecycle.Configure(Settings(clients: 3, minClients: 3));
        Join("a", "b", "c");
        _lifecycle.Begin(1, 0);

        Deliver("a");
        Assert.False(_lifecycle.SettledAndCanClose());
        _lifecycle.Reject("b", 1, "malformed");
        Assert.False(_lifecycle.SettledAndCanClose());
        Deliver("c");

        Assert.True(_lifecycle.SettledAndCanClose());
        Assert.False(_lifecycle.SettledAndCanClose());
    }

    [Fact]
    public void An_answer_that_settles_nothing_does_not_close_a_round_of_no_selected_client()
    {
        _lifecycle.Configure(Settings());
        _state.Phase = FederationPhase.Training;
        _lifecycle.Begin(1, 0);
        Assert.Empty(_state.Selected);

        Assert.Equal(UpdateVerdict.NotSelected, _lifecycle.Admit("x", 1, 1, "silo", Training).Verdict);
        Assert.Equal(UpdateVerdict.Stale, _lifecycle.Confirm("x", new RoundAttempt(1, 0), "silo"));
        Assert.False(_lifecycle.SettledAndCanClose());
    }

    [Fact]
    public void Verdicts_refuse_stale_unselected_and_repeated_updates()
    {
        _lifecycle.Configure(Settings(clients: 2));
        Join("a", "b");
        _lifecycle.Begin(1, 0);
        Deliver("a");

        Assert.Equal(UpdateVerdict.Duplicate, _lifecycle.Verdict("a", 1, 1));
        Assert.Equal(UpdateVerdict.Accepted, _lifecycle.Verdict("b", 1, 1));
        Assert.Equal(UpdateVerdict.Stale, _lifecycle.Verdict("b", 2, 1));
        Assert.Equal(UpdateVerdict.Stale, _lifecycle.Verdict("b", 1, 0));
        Assert.Equal(UpdateVerdict.NotSelected, _lifecycle.Verdict("z", 1, 1));
    }

    [Fact]
    public void A_confirmation_landing_after_the_reduce_counts_if_the_reduced_attempt_held_it()
    {
        _lifecycle.Configure(Settings(clients: 2));
        Join("a", "b");
        var first = _lifecycle.Begin(1, 0);
        _lifecycle.Admit("a", 1, 1, "silo", Training);
        first.Reconcile("silo", ["a"]);
        _lifecycle.MarkReduced(first);
        _lifecycle.Begin(2, 0);

        Assert.Equal(UpdateVerdict.Accepted, _lifecycle.Confirm("a", first.Attempt, "silo"));
        Assert.Equal(UpdateVerdict.Stale, _lifecycle.Confirm("b", first.Attempt, "silo"));
    }

    [Fact]
    public void Assignments_follow_the_phase()
    {
        _lifecycle.Configure(Settings(clients: 2));
        Assert.Equal(AssignmentKind.NotJoined, _lifecycle.AssignmentFor("a", askedToEvaluate: false));
        Join("a", "b");
        Assert.Equal(AssignmentKind.Wait, _lifecycle.AssignmentFor("a", askedToEvaluate: false));
        _lifecycle.Begin(1, 0);
        Assert.Equal(AssignmentKind.Train, _lifecycle.AssignmentFor("a", askedToEvaluate: false));
        Deliver("a");
        Assert.Equal(AssignmentKind.Wait, _lifecycle.AssignmentFor("a", askedToEvaluate: false));
        _lifecycle.BeginEvaluation();
        Assert.Equal(AssignmentKind.Evaluate, _lifecycle.AssignmentFor("a", askedToEvaluate: true));
        _lifecycle.Finish();
        Assert.Equal(AssignmentKind.Done, _lifecycle.AssignmentFor("a", askedToEvaluate: false));
    }

    [Fact]
    public void After_a_round_the_federation_evaluates_when_due_and_finishes_after_the_last()
    {
        _lifecycle.Configure(Settings() with { EvalEvery = 2 });
        Join("a", "b", "c", "d");

        _lifecycle.Begin(1, 0);
        Assert.Equal(RoundOutcome.NextRound, _lifecycle.AfterClose());
        _lifecycle.Begin(2, 0);
        Assert.Equal(RoundOutcome.Evaluate, _lifecycle.AfterClose());
        Assert.Equal(RoundOutcome.NextRound, _lifecycle.NextRoundOrFinish());
        Assert.True(_lifecycle.IsOpen);
        _lifecycle.Begin(3, 0);
        Assert.Equal(RoundOutcome.Evaluate, _lifecycle.AfterClose());
        Assert.Equal(RoundOutcome.Finish, _lifecycle.NextRoundOrFinish());
        Assert.False(_lifecycle.IsOpen);
    }

    [Fact]
    public void A_client_missing_enough_deadlines_in_a_row_leaves_the_pool_until_it_calls()
    {
        _lifecycle.Configure(Settings(clients: 3, minClients: 2) with { DropAfterMissed = 2 });
        Join("a", "b", "c");
        for (int round = 1; round <= 2; round++)
        {
            _lifecycle.Begin(round, 0);
            Deliver("a");
            Deliver("b");
            _lifecycle.CountMissedDeadlines(atDeadline: true);
        }
        Assert.False(_lifecycle.InSelectionPool("c"));
        Assert.True(_lifecycle.InSelectionPool("a"));

        _lifecycle.Begin(3, 0);
        Assert.DoesNotContain("c", _state.Selected);

        _lifecycle.ReturnToSelectionPool("c");
        Assert.True(_lifecycle.InSelectionPool("c"));
    }

    [Fact]
    public void An_activation_reruns_a_round_in_progress_and_rearms_the_join_wait()
    {
        _lifecycle.Configure(Settings());
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(RoundOutcome.AwaitDeadline, _lifecycle.OnActivation());
        Assert.Equal(TimeSpan.FromSeconds(10), _lifecycle.UntilDeadline);

        _state.Phase = FederationPhase.Training;
        Assert.Equal(RoundOutcome.RerunSameClients, _lifecycle.OnActivation());
        _state.Phase = FederationPhase.Evaluating;
        Assert.Equal(RoundOutcome.Evaluate, _lifecycle.OnActivation());
        _state.Phase = FederationPhase.Done;
        Assert.Equal(RoundOutcome.None, _lifecycle.OnActivation());
    }
}
