using Grpc.Core;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Transport;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// The per-silo partial sums and the federation grain's reduce, driven through their grain interfaces in a real
/// silo: what may enter a sum, and what the grain does when a sum it counted on is gone.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class PartialAggregationTests
{
    private static readonly TrainingReport Training = SiloService.Training;

    private static async Task<TestCoordinator> StartAsync(string clients, string roundTimeout = "00:02:00") =>
        await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = clients,
            ["Federation:MinClients"] = "1",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = roundTimeout,
        });

    private static IGrainFactory Grains(TestCoordinator coordinator) => coordinator.App.Services.GetRequiredService<IGrainFactory>();

    private static string LocalKey(TestCoordinator coordinator) => SiloService.LocalKey(coordinator);

    private static Immutable<float[]> Update(TestCoordinator coordinator, float value) => SiloService.Update(coordinator, value);

    [Fact]
    public async Task A_collected_attempt_takes_no_more_updates_and_a_restarted_one_drops_the_old_sum()
    {
        await using var coordinator = await StartAsync(clients: "3");
        var partial = Grains(coordinator).GetGrain<IPartialAggregateGrain>(LocalKey(coordinator));
        RoundAttempt first = new(1, 0), restarted = new(1, 1), next = new(2, 0);

        Assert.Equal(UpdateVerdict.Accepted, await partial.Add(first, "c1", 10, Update(coordinator, 1f)));
        Assert.Equal(UpdateVerdict.Accepted, await partial.Add(restarted, "c2", 30, Update(coordinator, 2f)));
        Assert.Equal(UpdateVerdict.Stale, await partial.Add(first, "c3", 10, Update(coordinator, 9f)));
        Assert.Equal(UpdateVerdict.Duplicate, await partial.Add(restarted, "c2", 30, Update(coordinator, 2f)));
        var sum = (await partial.Collect(restarted)).Sum;
        Assert.Equal(UpdateVerdict.Stale, await partial.Add(restarted, "c1", 10, Update(coordinator, 9f)));
        Assert.Equal(UpdateVerdict.Accepted, await partial.Add(next, "c1", 10, Update(coordinator, 3f)));

        Assert.Equal(["c2"], sum.Contributors);
        Assert.Equal(30, sum.TotalWeight);
        Assert.All(sum.WeightedSum, v => Assert.Equal(60.0, v));
        Assert.Equal(["c1"], (await partial.Collect(next)).Sum.Contributors);
    }

    [Fact]
    public async Task For_a_robust_rule_the_partial_aggregate_hands_over_the_updates_themselves_in_contributor_order()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "3",
            ["Federation:Strategy"] = "median",
        });
        var partial = Grains(coordinator).GetGrain<IPartialAggregateGrain>(LocalKey(coordinator));
        var attempt = new RoundAttempt(1, 0);

        await partial.Add(attempt, "c2", 10, Update(coordinator, 2f));
        await partial.Add(attempt, "c1", 10, Update(coordinator, 1f));
        var sum = (await partial.Collect(attempt)).Sum;

        Assert.Equal(["c2", "c1"], sum.Contributors);
        Assert.Equal([2f, 1f], sum.Updates!.Select(u => u[0]));
        Assert.All(sum.WeightedSum, v => Assert.Equal(30.0, v));
    }

    [Fact]
    public async Task A_partial_sum_named_after_a_silo_that_is_gone_holds_nothing()
    {
        await using var coordinator = await StartAsync(clients: "3");
        var gone = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1);

        var collected = await Grains(coordinator).GetGrain<IPartialAggregateGrain>(PartialAggregateKey.For("default", gone)).Collect(new RoundAttempt(1, 0));

        Assert.Same(CollectedPartial.Lost, collected);
    }

    [Fact]
    public async Task A_round_whose_confirmed_update_is_missing_from_its_partial_sum_runs_again()
    {
        await using var coordinator = await StartAsync(clients: "2");
        var federation = coordinator.Federation;
        await federation.Join("c1", 100);
        await federation.Join("c2", 300);
        string lostKey = PartialAggregateKey.For("default", SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1));

        // c1's update was confirmed by a silo that then died with its sum and its socket counters; c2's is safe in
        // this silo's sum. The dead silo measured c1's task (download and upload) and sent it with the admission.
        var lost = await federation.AdmitUpdate("c1", 1, 1, lostKey, Training with { UplinkBytes = 1_000, DownlinkBytes = 6_000 });
        Assert.Equal(UpdateVerdict.Accepted, lost.Verdict);
        Assert.Equal(100, lost.Weight);
        Assert.Equal(UpdateVerdict.Accepted, await federation.ConfirmUpdate("c1", lost.RoundAttempt, lostKey));
        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(1, 0));

        // The round closes in a turn of its own: once it has, both clients are asked for round 1 again.
        foreach (string client in new[] { "c1", "c2" })
        {
            var task = await WaitForTask(federation, client);
            Assert.Equal((AssignmentKind.Train, 1, 1L), (task.Kind, task.Round, task.ModelVersion));
        }
        Assert.Empty((await federation.GetStatus()).History);

        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 1));
        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(1, 1));
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        var round = Assert.Single(status.History);
        Assert.Equal(2, round.Participants);
        Assert.Equal(2, round.ModelVersion);
        // This silo's sockets carried nothing (the test calls the grains directly): what the round counts is the task
        // bytes of the update that crossed the lost silo.
        Assert.Equal((1_000L, 6_000L), (round.UplinkBytes, round.DownlinkBytes));
    }

    [Fact]
    public async Task A_rerun_needs_as_many_updates_as_its_first_attempt_however_many_clients_joined_since()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "2",
            ["Federation:MinClients"] = "1",
            ["Federation:Rounds"] = "1",
            ["Federation:Fraction"] = "0.5",
            ["Federation:OverSelect"] = "2",
            // Beyond the test's patience: only reaching its target can close the round.
            ["Federation:RoundTimeout"] = "00:30:00",
        });
        var federation = coordinator.Federation;
        await federation.Join("c1", 100);
        await federation.Join("c2", 100);
        // Round 1 needs one update of its two selected clients; c3 joins while it runs.
        await federation.Join("c3", 100);
        string lostKey = PartialAggregateKey.For("default", SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1));

        // c1's update was confirmed by a silo that then died with its sum, so round 1 runs again with c1 and c2.
        var lost = await federation.AdmitUpdate("c1", 1, 1, lostKey, Training);
        Assert.Equal(UpdateVerdict.Accepted, await federation.ConfirmUpdate("c1", lost.RoundAttempt, lostKey));
        Assert.Equal(1, (await WaitForTask(federation, "c1")).Round);
        await SiloService.ContributeAsync(coordinator, "c2", new RoundAttempt(1, 1));

        var round = Assert.Single((await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience)).History);
        Assert.Equal((1, 2), (round.Participants, round.Selected));
    }

    /// <summary>
    /// Two silos in this process, one cluster on Redis with one model store; silo A starts first and holds the
    /// federation grain. Its round needs one update of its two selected clients.
    /// </summary>
    private static async Task WithTwoSilosAsync(string cluster, Func<TestCoordinator, TestCoordinator, Task> test)
    {
        using var redis = await RedisServer.StartAsync();
        string models = Directory.CreateTempSubdirectory("poolcompress-two-silos-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Federation:Clients"] = "2",
                ["Federation:Rounds"] = "1",
                ["Federation:Fraction"] = "0.5",
                ["Federation:OverSelect"] = "2",
                ["Coordinator:Clustering"] = "redis",
                ["Coordinator:Storage"] = "redis",
                ["Coordinator:Redis"] = redis.ConnectionString,
                ["Coordinator:ClusterId"] = cluster,
                ["Coordinator:ServiceId"] = cluster,
                ["Coordinator:ModelStoreDir"] = models,
                ["Coordinator:Membership:ProbeTimeout"] = "00:00:01",
                ["Coordinator:Membership:NumMissedProbesLimit"] = "2",
            };
            await using var siloA = await TestCoordinator.StartAsync(settings);
            await using var siloB = await TestCoordinator.StartAsync(settings);
            await test(siloA, siloB);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [Fact]
    public Task A_silos_partial_sum_lives_on_that_silo_even_when_another_silo_calls_it_first() =>
        WithTwoSilosAsync("named-silo-placement", async (siloA, siloB) =>
        {
            string keyA = PartialAggregateKey.For("later", siloA.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
            string keyB = PartialAggregateKey.For("later", siloB.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
            var reported = new TrafficSnapshot(Received: 1_234, Sent: 5_678);

            // A's traffic report is the first call B's partial sum of this federation gets, as when A reports before B
            // has taken an update; a stand-in on A would drop it, and then take B's updates in A's memory.
            await Grains(siloA).GetGrain<IPartialAggregateGrain>(keyB).Witness(keyA, reported);
            Assert.Equal(reported, siloB.App.Services.GetRequiredService<SiloTrafficWitness>().Reported.GetValueOrDefault(keyA));

            var attempt = new RoundAttempt(1, 0);
            Assert.Equal(UpdateVerdict.Accepted, await Grains(siloB).GetGrain<IPartialAggregateGrain>(keyB).Add(attempt, "b1", 10, Update(siloB, 1f)));
            var collected = await Grains(siloA).GetGrain<IPartialAggregateGrain>(keyB).Collect(attempt);
            Assert.False(collected.SiloLost);
            Assert.Equal(["b1"], collected.Sum.Contributors);
        });

    [Fact]
    public Task A_dead_silos_long_polls_joins_refused_uploads_and_downloads_count_up_to_its_last_report() =>
        WithTwoSilosAsync("dead-silo-bytes", async (siloA, siloB) =>
        {
            var meterB = siloB.App.Services.GetRequiredService<TrafficMeter>();
            var addressB = siloB.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

            using (var joiner = new RawClient(siloB.Address, "b1"))
            using (var idle = new RawClient(siloB.Address, "b2"))
            {
                await joiner.JoinAsync(100);
                await siloA.Federation.Join("a1", 100);
                // One federation across both silos: the second join started its round (two federations would each
                // wait for their join timeout).
                var joined = await siloA.Federation.GetStatus();
                Assert.Equal((FederationPhase.Training, 2), (joined.Phase, joined.JoinedClients));
                // b1 downloads its model through B, and its update never arrives.
                var (task, _) = await joiner.NextTrainTask();
                // b2 joins late, long-polls until told to wait, and uploads although it was not selected.
                await idle.JoinAsync(100);
                using (var poll = idle.Rpc.GetTask(idle.TaskRequest()))
                {
                    Assert.True(await poll.ResponseStream.MoveNext());
                    Assert.Equal(TaskAction.Wait, poll.ResponseStream.Current.Header.Action);
                }
                byte[] zeros = RawClient.DenseCnnPayload(_ => 0f);
                await idle.PushRefusedAsync(idle.HeaderFor(task, zeros.Length), PayloadChunks.Split(zeros));
            }
            var served = meterB.Snapshot();
            Assert.True(served.Sent > RawClient.CnnLayout().TotalLength * sizeof(float) && served.Rejected > 0, $"B served {served}");
            // What B carried reaches A within a report period; then B dies without a word.
            var witnessA = siloA.App.Services.GetRequiredService<SiloTrafficWitness>();
            string keyB = PartialAggregateKey.For("default", addressB);
            await WaitUntil.HoldsAsync(() => witnessA.Reported.TryGetValue(keyB, out var reported) && TrafficSnapshot.Max(reported, served) == reported, "silo A to have the traffic silo B reported");
            await siloB.App.StopAsync(new CancellationToken(canceled: true));
            var membershipA = siloA.App.Services.GetRequiredService<IClusterMembershipService>();
            await WaitUntil.HoldsAsync(() => membershipA.CurrentSnapshot.GetSiloStatus(addressB) == SiloStatus.Dead, "silo B to be declared dead");

            // B held none of the round's updates, so losing it must not restart A's grains or rerun the round.
            await SiloService.ContributeAsync(siloA, "a1", new RoundAttempt(1, 0));
            var round = Assert.Single((await siloA.WaitUntilDoneAsync(TestCoordinator.Patience)).History);

            // A's sockets carried nothing (the test calls its grains directly): the round's bytes are B's, all of them.
            var carried = meterB.Snapshot();
            Assert.InRange(round.DownlinkBytes, served.Sent, carried.Sent);
            Assert.InRange(round.UplinkBytes, served.Accepted, carried.Accepted);
            Assert.InRange(round.RejectedBytes, served.Rejected, carried.Rejected);
            Assert.Equal(1, round.SilosLost);
        });

    private static Task<TaskAssignment> WaitForTask(IFederationGrain federation, string clientId) =>
        WaitUntil.HoldsAsync(() => federation.GetAssignment(clientId), task => task.Kind != AssignmentKind.Wait, $"a task for {clientId}");

    [Fact]
    public async Task An_update_added_after_the_round_was_reduced_at_its_deadline_is_refused()
    {
        await using var coordinator = await StartAsync(clients: "2", roundTimeout: "00:00:04");
        var federation = coordinator.Federation;
        await federation.Join("c1", 100);
        await federation.Join("c2", 300);
        string key = LocalKey(coordinator);
        var partial = Grains(coordinator).GetGrain<IPartialAggregateGrain>(key);

        await SiloService.ContributeAsync(coordinator, "c1", new RoundAttempt(1, 0));
        var second = await federation.AdmitUpdate("c2", 1, 1, key, Training);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);

        Assert.Equal(UpdateVerdict.Stale, await partial.Add(second.RoundAttempt, "c2", second.Weight, Update(coordinator, 1f)));
        Assert.Equal(UpdateVerdict.Stale, await federation.ConfirmUpdate("c2", second.RoundAttempt, key));
        var round = Assert.Single(status.History);
        Assert.Equal(1, round.Participants);
        Assert.Equal(1, round.Stragglers);
    }
}
