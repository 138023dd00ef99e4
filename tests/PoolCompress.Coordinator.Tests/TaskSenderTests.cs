using System.Reflection;
using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Services;
using PoolCompress.Protos.V1;
using TaskRequest = PoolCompress.Protos.V1.TaskRequest;

namespace PoolCompress.Coordinator.Tests;

/// <summary>A task poll is held until the federation has a task or the long poll is over, on the clock the sender is given.</summary>
public sealed class TaskSenderTests
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);
    private readonly ManualClock _clock = new();
    private readonly Queue<TaskAssignment> _assignments = new();
    private int _waits;

    private static TaskAssignment Wait(long stateVersion) => new(AssignmentKind.Wait, 1, 1, stateVersion);

    private TaskSender Sender(Func<TimeSpan, Task>? waitForChange = null)
    {
        var grain = Fake.Of<IFederationGrain>((method, args) => method.Name switch
        {
            nameof(IFederationGrain.GetAssignment) => Task.FromResult(_assignments.Count > 1 ? _assignments.Dequeue() : _assignments.Peek()),
            nameof(IFederationGrain.WaitForChange) => WaitForChange((TimeSpan)args![1]!),
            _ => throw new NotSupportedException(method.Name),
        });
        Task WaitForChange(TimeSpan timeout)
        {
            _waits++;
            return waitForChange?.Invoke(timeout) ?? Task.CompletedTask;
        }
        var factory = Fake.Of<IGrainFactory>((method, _) => method.Name == nameof(IGrainFactory.GetGrain) ? grain : throw new NotSupportedException(method.Name));
        var grains = new FederationGrains(factory, null!, Options.Create(new FederationSettings()));
        return new TaskSender(grains, null!, null!, null!, Options.Create(new CoordinatorOptions { LongPoll = LongPoll }), Options.Create(new FederationSettings()), _clock);
    }

    [Fact]
    public async Task A_waiting_client_gets_the_task_that_the_next_change_brings()
    {
        _assignments.Enqueue(Wait(7));
        _assignments.Enqueue(new TaskAssignment(AssignmentKind.Train, 2, 3, 8));

        var assignment = await Sender().AwaitAssignment("client-0000", CancellationToken.None);

        Assert.Equal(AssignmentKind.Train, assignment?.Kind);
        Assert.Equal(1, _waits);
    }

    [Fact]
    public async Task The_poll_waits_only_what_is_left_of_its_time_then_answers_wait()
    {
        _assignments.Enqueue(Wait(7));
        var timeouts = new List<TimeSpan>();
        var sender = Sender(timeout =>
        {
            timeouts.Add(timeout);
            _clock.Now += TimeSpan.FromSeconds(15);
            return Task.CompletedTask;
        });

        var assignment = await sender.AwaitAssignment("client-0000", CancellationToken.None);

        Assert.Equal(AssignmentKind.Wait, assignment?.Kind);
        Assert.Equal([LongPoll, LongPoll - TimeSpan.FromSeconds(15)], timeouts);
    }

    [Fact]
    public async Task A_client_that_gives_up_its_poll_gets_no_answer()
    {
        _assignments.Enqueue(Wait(7));
        using var gaveUp = new CancellationTokenSource();
        var sender = Sender(_ =>
        {
            gaveUp.Cancel();
            return new TaskCompletionSource().Task;
        });

        Assert.Null(await sender.AwaitAssignment("client-0000", gaveUp.Token));
    }

    [Fact]
    public async Task A_client_that_never_joined_is_told_to_join()
    {
        var responses = new ListStreamWriter<TaskMessage>();
        var context = new FakeServerCallContext("/poolcompress.v1.Federation/GetTask", []);

        var refusal = await Assert.ThrowsAsync<RpcException>(() => Sender().Send(
            new TaskAssignment(AssignmentKind.NotJoined, 0, 0, 1), new TaskRequest { ClientId = "client-0000" }, responses, context));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
        Assert.Contains("call Join first", refusal.Status.Detail);
        Assert.Empty(responses.Written);
    }

    [Fact]
    public async Task Wait_and_done_are_a_header_alone()
    {
        var responses = new ListStreamWriter<TaskMessage>();
        var context = new FakeServerCallContext("/poolcompress.v1.Federation/GetTask", []);
        var sender = Sender();

        await sender.Send(Wait(7), new TaskRequest { ClientId = "client-0000" }, responses, context);
        await sender.Send(new TaskAssignment(AssignmentKind.Done, 5, 6, 9), new TaskRequest { ClientId = "client-0000" }, responses, context);

        Assert.Collection(responses.Written,
            wait => Assert.Equal((TaskAction.Wait, 100), (wait.Header.Action, wait.Header.RetryAfterMs)),
            done => Assert.Equal((TaskAction.Done, 5, 6L, 0), (done.Header.Action, done.Header.Round, done.Header.ModelVersion, done.Header.RetryAfterMs)));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

/// <summary>An interface implemented by one function of the method called and its arguments: fakes that keep compiling when the interface grows.</summary>
public class Fake : DispatchProxy
{
    private Func<MethodInfo, object?[]?, object?> _handler = null!;

    public static T Of<T>(Func<MethodInfo, object?[]?, object?> handler) where T : class
    {
        var proxy = Create<T, Fake>();
        ((Fake)(object)proxy)._handler = handler;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => _handler(targetMethod!, args);
}
