using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PoolCompress.Client;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>Whole federations: a real coordinator host and real gRPC clients over loopback sockets.</summary>
public sealed class EndToEndFederationTests
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;

    /// <param name="digits">what the clients share out: <see cref="TrainingDigits.Few"/> unless the test is about what they learn.</param>
    internal static Task<ClientRunSummary>[] StartClients(Uri address, int count, string partition = "iid", long seed = 5, string? token = null,
        IClientStateStore? state = null, int activeClients = TrainingGate.DefaultActiveClients, Func<int, ClientTls>? tls = null, Dataset? digits = null)
    {
        var shards = ClientShards.Split(digits ?? TrainingDigits.Few, partition, count, seed);
        var gate = new TrainingGate(activeClients: activeClients);
        var clients = shards.Select((shard, i) => Task.Run(async () =>
        {
            using var channel = FederationClient.CreateChannel(address, tls?.Invoke(i).Apply());
            var client = new FederationClient(new ClientOptions { Coordinators = [address], ClientId = ClientShards.ClientId(i), Token = token },
                shard, gate, NullLogger<FederationClient>.Instance, state);
            return await client.RunAsync(channel);
        })).ToArray();
        // The gate's training threads serve the clients until the last of them is done.
        _ = Task.WhenAll(clients).ContinueWith(_ => gate.Dispose(), TaskScheduler.Default);
        return clients;
    }

    [Fact]
    public async Task Accuracy_rises_well_above_chance_and_bytes_are_counted_at_the_socket()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?> { ["Federation:Rounds"] = "3" });
        var clients = StartClients(coordinator.Address, 3, digits: TrainingDigits.All);

        var status = await coordinator.WaitUntilDoneAsync(Patience);
        var summaries = await Task.WhenAll(clients);

        Assert.Equal(3, status.History.Count);
        Assert.True(status.History[^1].TestAccuracy > 0.6, $"final accuracy {status.History[^1].TestAccuracy} is not well above chance (0.1)");
        Assert.All(summaries, s => Assert.Equal(3, s.RoundsTrained));
        long denseUpdate = coordinator.App.Services.GetRequiredService<CoordinatorModel>().ParameterCount * 4L;
        foreach (var round in status.History)
        {
            // Three dense float32 updates went up and three models came down, plus framing: the socket saw at least that.
            // In round 1 no model came down: the clients train on the seeded initial model they built themselves.
            long models = round.Round == 1 ? 0 : 3 * denseUpdate;
            Assert.InRange(round.UplinkBytes, 3 * denseUpdate, 3 * denseUpdate + 3 * denseUpdate / 10);
            Assert.InRange(round.DownlinkBytes, models + 1, models + 3 * denseUpdate / 10);
            Assert.Equal(3, round.Participants);
        }
    }

    [Fact]
    public async Task Same_seed_gives_the_same_selection_and_accuracies()
    {
        async Task<double[]> Run()
        {
            await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
            {
                ["Federation:Rounds"] = "2",
                ["Federation:Fraction"] = "0.5",
                ["Federation:MinClients"] = "2",
            });
            var clients = StartClients(coordinator.Address, 3);
            var status = await coordinator.WaitUntilDoneAsync(Patience);
            await Task.WhenAll(clients);
            return status.History.Select(r => r.TestAccuracy).Concat(status.History.Select(r => (double)r.Participants)).ToArray();
        }

        Assert.Equal(await Run(), await Run());
    }

    [Theory]
    [InlineData("topk:0.05:global>q:8")]
    [InlineData("topk:0.05:global>q:8;predict=0.5")]
    public async Task Clients_that_sit_out_rounds_get_downlink_differences_from_the_model_they_hold_never_the_whole_model(string downlinkCodec)
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "4",
            ["Federation:Rounds"] = "4",
            ["Federation:Fraction"] = "0.5",
            ["Federation:MinClients"] = "2",
            ["Federation:DownlinkCodec"] = downlinkCodec,
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        var clients = StartClients(coordinator.Address, 4);

        var status = await coordinator.WaitUntilDoneAsync(Patience);
        var summaries = await Task.WhenAll(clients);

        // Every client starts from the initial model it builds from the seed, and each payload ended on the model
        // whose hash the coordinator announced, or the client would have fetched the whole model.
        Assert.All(summaries, s => Assert.Equal(0, s.WholeModels));
        Assert.All(summaries, s => Assert.True(s.Differences >= s.RoundsTrained, $"{s.ClientId}: {s.Differences} tasks for {s.RoundsTrained} rounds"));
        Assert.Contains(summaries, s => s.RoundsTrained is > 0 and < 4);
        long wholeModel = coordinator.App.Services.GetRequiredService<CoordinatorModel>().ParameterCount * 4L;
        long downloads = status.History.Sum(r => r.Participants);
        Assert.True(status.History.Sum(r => r.DownlinkBytes) < downloads * wholeModel / 4,
            $"{status.History.Sum(r => r.DownlinkBytes)} downlink bytes for {downloads} downloads of a {wholeModel}-byte model");
    }

    [Fact]
    public async Task Clients_with_the_wrong_token_are_refused_and_the_right_one_accepted()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Coordinator:Token"] = "s3cret",
            ["Federation:Rounds"] = "1",
            ["Federation:Clients"] = "2",
            // Both clients in the round, however far apart a loaded machine starts them.
            ["Federation:MinClients"] = "2",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => StartClients(coordinator.Address, 2, token: "wrong")[0]);
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);

        var clients = StartClients(coordinator.Address, 2, token: "s3cret");
        await coordinator.WaitUntilDoneAsync(Patience);
        Assert.All(await Task.WhenAll(clients), s => Assert.Equal(1, s.RoundsTrained));
    }
}
