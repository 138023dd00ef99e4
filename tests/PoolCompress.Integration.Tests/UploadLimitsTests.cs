using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PoolCompress.Protos.V1;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>Uploads that stall, multiply or give up cannot exhaust the coordinator, and are told so.</summary>
[Collection(AloneCollection.Name)]
public sealed class UploadLimitsTests
{
    [Fact]
    public async Task A_second_upload_in_flight_from_the_same_client_is_refused_and_the_first_goes_through()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "2",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(100);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 1);
        var (task, _) = await rogue.NextTrainTask();
        var chunks = PayloadChunks.Split(RawClient.DenseCnnPayload(_ => 0f)).ToList();
        long payloadBytes = chunks.Sum(c => (long)c.Data.Length);

        using var first = rogue.Rpc.PushUpdate();
        using var second = rogue.Rpc.PushUpdate();
        foreach (var call in new[] { first, second })
        {
            try
            {
                await call.RequestStream.WriteAsync(new UpdateMessage { Header = rogue.HeaderFor(task, payloadBytes) });
                await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = chunks[0] });
            }
            catch (RpcException)
            {
                // Refused already; the status is the call's answer.
            }
        }
        // Neither stream is complete, so only a refusal can end a call now.
        var refused = await Task.WhenAny(first.ResponseAsync, second.ResponseAsync);
        var error = await Assert.ThrowsAsync<RpcException>(() => refused);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("in flight", error.Status.Detail);

        var holder = refused == first.ResponseAsync ? second : first;
        foreach (var chunk in chunks.Skip(1)) await holder.RequestStream.WriteAsync(new UpdateMessage { Chunk = chunk });
        await holder.RequestStream.CompleteAsync();
        Assert.True((await holder.ResponseAsync).Accepted);
        var status = await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        Assert.Equal(2, status.History[0].Participants);
        await Task.WhenAll(honest);
    }

    [Fact]
    public async Task A_stalled_upload_is_cut_off_and_its_bytes_are_counted_apart_from_the_uplink()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = "2",
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
            ["Coordinator:UploadGrace"] = "00:00:05",
            ["Coordinator:MinUploadBytesPerSecond"] = "1000000",
        });
        using var rogue = new RawClient(coordinator.Address, "rogue");
        await rogue.JoinAsync(100);
        var honest = EndToEndFederationTests.StartClients(coordinator.Address, 1);
        var (task, model) = await rogue.NextTrainTask();

        using var stalled = rogue.Rpc.PushUpdate();
        await stalled.RequestStream.WriteAsync(new UpdateMessage { Header = rogue.HeaderFor(task, model.Length) });
        await stalled.RequestStream.WriteAsync(new UpdateMessage { Chunk = PayloadChunks.Split(model).First() });
        // ... and nothing more: the stream stays open, as a stalled or malicious client leaves it.
        var error = await Assert.ThrowsAsync<RpcException>(() => stalled.ResponseAsync.WaitAsync(TestCoordinator.Patience));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("did not arrive", error.Status.Detail);
        var round = (await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience)).History[0];
        Assert.Equal(1, round.Rejected);
        // How much of the stalled chunk crossed before the cut-off depends on HTTP/2 flow control and the machine's
        // load; what matters is that the refused bytes were counted, and apart from the round's uplink.
        Assert.InRange(round.RejectedBytes, 1L, round.UplinkBytes);
        await Task.WhenAll(honest);
    }

    [Fact]
    public async Task Twenty_stalled_uploads_each_end_with_a_status_and_a_complete_upload_beside_them_is_accepted()
    {
        const int stalledCount = 20;
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Clients"] = (stalledCount + 1).ToString(),
            ["Federation:Rounds"] = "1",
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
            ["Coordinator:UploadGrace"] = "00:00:02",
            ["Coordinator:MinUploadBytesPerSecond"] = "1000000",
        });
        var clients = Enumerable.Range(0, stalledCount + 1).Select(i => new RawClient(coordinator.Address, $"client-{i}")).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => c.JoinAsync(100)));
            var honest = clients[^1];
            var (task, _) = await honest.NextTrainTask();
            var chunks = PayloadChunks.Split(RawClient.DenseCnnPayload(_ => 1e-3f)).ToList();
            long payloadBytes = chunks.Sum(c => (long)c.Data.Length);

            var stalled = clients.Take(stalledCount).Select(async client =>
            {
                using var call = client.Rpc.PushUpdate();
                await call.RequestStream.WriteAsync(new UpdateMessage { Header = client.HeaderFor(task, payloadBytes) });
                await call.RequestStream.WriteAsync(new UpdateMessage { Chunk = chunks[0] });
                return await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(TestCoordinator.Patience));
            }).ToList();
            var (receipt, error) = await honest.PushAsync(honest.HeaderFor(task, payloadBytes), chunks);

            Assert.True(receipt?.Accepted, error?.Status.Detail);
            Assert.All(await Task.WhenAll(stalled), e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
            var round = (await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience)).History[0];
            Assert.Equal((1, stalledCount), (round.Participants, round.Rejected));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task Cancelled_long_polls_are_not_logged_as_errors()
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?> { ["Federation:Clients"] = "2" });
        var logs = new CapturedLogs();
        coordinator.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        using var waiting = new RawClient(coordinator.Address, "waiting");
        await waiting.JoinAsync(100);

        using var cancel = new CancellationTokenSource();
        var polls = Enumerable.Range(0, 20)
            .Select(_ => waiting.Rpc.GetTask(waiting.TaskRequest(), cancellationToken: cancel.Token))
            .ToList();
        await Task.Delay(500);
        await cancel.CancelAsync();
        foreach (var poll in polls)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => poll.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.Cancelled, error.StatusCode);
            poll.Dispose();
        }
        // A poll started after the cancelled ones ends after their long polls would have: by then they are settled.
        using var later = waiting.Rpc.GetTask(waiting.TaskRequest());
        Assert.True(await later.ResponseStream.MoveNext());
        Assert.Equal(TaskAction.Wait, later.ResponseStream.Current.Header.Action);

        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
