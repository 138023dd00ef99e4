using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Hosting;

namespace PoolCompress.TestSupport;

/// <summary>A real coordinator host (Kestrel on a loopback port, an Orleans silo) configured for a small, fast federation.</summary>
internal sealed class TestCoordinator : IAsyncDisposable
{
    /// <summary>
    /// How long a test waits for a federation before calling it hung: a liveness bound, not a speed target, and
    /// generous because CI's two cores may be shared with other test assemblies.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    /// <summary>
    /// A round deadline for tests whose rounds must end because every selected client settled, never at the deadline:
    /// as long as <see cref="Patience"/>, so a loaded machine cannot turn slow training into a different outcome.
    /// </summary>
    public const string SettledRoundTimeout = "00:08:00";

    private TestCoordinator(CoordinatorRun run) => Run = run;

    /// <summary>The run, for what is written from it at the end (its data summary).</summary>
    public CoordinatorRun Run { get; }

    public WebApplication App => Run.App;

    public Uri Address => App.ListeningAddress();

    public IFederationGrain Federation => App.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>("default");

    public static async Task<TestCoordinator> StartAsync(IDictionary<string, string?> overrides, Action<IServiceCollection>? services = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Federation:Dataset"] = "synthetic",
            ["Federation:Clients"] = "3",
            ["Federation:Rounds"] = "2",
            ["Federation:MinClients"] = "1",
            ["Federation:Seed"] = "5",
            ["Federation:BatchSize"] = "10",
            // One local epoch: training is most of a federation test's time, and these tests are about the federation.
            ["Federation:LocalEpochs"] = "1",
            ["Federation:RoundTimeout"] = "00:02:00",
            ["Coordinator:Port"] = "0",
            ["Coordinator:SiloPort"] = "0",
            ["Coordinator:GatewayPort"] = "0",
            ["Coordinator:LongPoll"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides) configuration[key] = value;
        var run = await CoordinatorRun.StartAsync(configuration, CancellationToken.None, services);
        return new TestCoordinator(run);
    }

    public Task<FederationStatus> WaitUntilDoneAsync(TimeSpan timeout) =>
        WaitUntilAsync(status => status.Phase == FederationPhase.Done, "the federation to be done", timeout);

    public Task<FederationStatus> WaitUntilAsync(Func<FederationStatus, bool> holds, string awaited, TimeSpan? timeout = null) =>
        WaitUntil.HoldsAsync(Federation.GetStatus, holds, awaited, timeout);

    /// <summary>A client's training task once the grain has started <paramref name="round"/>: task polls, as a client makes them.</summary>
    public async Task<TaskAssignment> TrainingTaskAsync(string clientId, int round)
    {
        while (true)
        {
            var assignment = await Federation.GetAssignment(clientId);
            if (assignment.Kind == AssignmentKind.Train && assignment.Round == round) return assignment;
            await Federation.WaitForChange(assignment.StateVersion, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A free loopback port for what cannot bind port 0 and report it: metrics listeners and Redis, dialled by number.</summary>
    public static int FreePort() => SiloPorts.Free();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
