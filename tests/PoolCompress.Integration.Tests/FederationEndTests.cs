using System.Text.RegularExpressions;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A client still training when the last round ends (its deadline passed without it) learns that the federation
/// is done and exits at once: the coordinator stays up until every joined client has heard so.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class FederationEndTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-end-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_client_still_training_in_the_last_round_hears_done_and_exits()
    {
        var none = new Dictionary<string, string>();
        // The grace is an upper bound; the coordinator is to leave as soon as both clients heard DONE.
        var patientCoordinator = new Dictionary<string, string> { ["POOLCOMPRESS_Coordinator__DoneGrace"] = "00:10:00" };
        // The client's own --clients decides its shard: all 2,000 synthetic digits for the slow one, 10 for the fast
        // one, so the fast one answers well within the deadline and the slow one trains 200 times as long.
        var processes = new List<WatchedProcess>();
        string Everything() => string.Join('\n', processes.Select(p => p.Output));
        try
        {
            processes.Add(WatchedProcess.Start("coordinator", patientCoordinator, ["coordinator", "--dataset", "synthetic", "--clients", "2", "--rounds", "1",
                "--local-epochs", "5", "--round-timeout", "5", "--port", "0", "--out", _dir,
                "--silo-port", "0", "--gateway-port", "0"]));
            string coordinatorUrl = (await processes[0].ListeningAsync()).ToString();
            processes.Add(WatchedProcess.Start("slow-client", none, ["client", "--dataset", "synthetic", "--clients", "1",
                "--coordinator", coordinatorUrl, "--client-index", "0"]));
            processes.Add(WatchedProcess.Start("fast-client", none, ["client", "--dataset", "synthetic", "--clients", "200",
                "--coordinator", coordinatorUrl, "--client-index", "1"]));

            foreach (var process in processes)
            {
                int exitCode = await process.WaitForExitAsync(Patience);
                Assert.True(exitCode == 0, $"{process.Name} exited with {exitCode}\n{Everything()}");
            }
            Assert.True(Regex.IsMatch(processes[1].Output, "update for round 1 refused"), "the slow client finished in time:\n" + Everything());
            Assert.DoesNotMatch("not every client asked", processes[0].Output);
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }
}
