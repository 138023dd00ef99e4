namespace PoolCompress.Integration.Tests;

/// <summary>
/// SIGTERM or SIGINT to a client process once it has started training, or to the coordinator mid-round: training
/// is cancelled (between batches, never inside one: <c>LocalTrainerTests</c>) and the process says why and exits
/// with the shell's code for the signal, never by crashing under TorchSharp. The client is started as a script's
/// background job is, with SIGINT ignored, which it must take back: whether SIGINT reaches it then does not depend
/// on how the test run itself was started (from a terminal, or as a CI script's background job).
/// </summary>
public sealed class GracefulShutdownTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-shutdown-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signalled_client_started_as_a_background_job_stops_training_and_exits_with_the_signal_code(string signal, int exitCode)
    {
        using var federation = await LongFederation.StartAsync(_dir);
        await federation.Client.TrainingStartedAsync(round: 1, version: 1);
        federation.Client.Signal(signal);

        Assert.Equal(exitCode, await federation.Client.WaitForExitAsync(Patience));
        Assert.Matches($"stopped by SIG{signal}: clients client-0000..client-0000 cancelled their work", federation.Client.Output);
    }

    [Fact]
    public async Task A_terminated_coordinator_says_which_round_runs_again_and_exits_143()
    {
        using var federation = await LongFederation.StartAsync(_dir);
        await federation.Client.TrainingStartedAsync(round: 1, version: 1);
        federation.Coordinator.Signal("TERM");

        Assert.Equal(143, await federation.Coordinator.WaitForExitAsync(Patience));
        Assert.Matches("stopped by SIGTERM in round 1 after 0 completed rounds", federation.Coordinator.Output);
        Assert.True(File.Exists(Path.Combine(_dir, "summary.json")), federation.Coordinator.Output);
    }

    /// <summary>A coordinator and one client whose local training lasts far longer than any test waits.</summary>
    private sealed class LongFederation : IDisposable
    {
        private LongFederation(WatchedProcess coordinator, WatchedProcess client)
        {
            Coordinator = coordinator;
            Client = client;
        }

        public WatchedProcess Coordinator { get; }

        public WatchedProcess Client { get; }

        public static async Task<LongFederation> StartAsync(string directory)
        {
            string[] shared = ["--dataset", "synthetic", "--clients", "1", "--seed", "3"];
            var coordinator = WatchedProcess.Start("coordinator", new Dictionary<string, string>(), ["coordinator", .. shared, "--rounds", "2", "--min-clients", "1",
                "--local-epochs", "100000", "--port", "0", "--out", directory,
                "--silo-port", "0", "--gateway-port", "0"]);
            Uri address;
            try
            {
                address = await coordinator.ListeningAsync();
            }
            catch
            {
                coordinator.Dispose();
                throw;
            }
            var client = WatchedProcess.StartAsBackgroundJob("client", ["client", .. shared,
                "--coordinator", address.ToString(), "--client-index", "0"]);
            return new LongFederation(coordinator, client);
        }

        public void Dispose()
        {
            Client.Dispose();
            Coordinator.Dispose();
        }
    }
}
