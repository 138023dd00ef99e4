namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// One real coordinator process (the `poolcompress coordinator` command) with default settings, shared by the hostile
/// cases: a federation of one client, so every round's only update is the test's, and a refused update leaves the round
/// with nothing to aggregate, the model unchanged. The operator lists who may join (<c>--members</c>): the test's client
/// and <see cref="AbsentMember"/>, a member that never joins. Its uploads must start within 2 s and arrive at 100 MB/s, so a
/// stalled upload is cut off in seconds rather than the default 30.
/// </summary>
public sealed class CoordinatorProcess : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("poolcompress-third-party-").FullName;
    private WatchedProcess? _process;

    public const string AbsentMember = "third-party-1";

    internal ThirdPartyClient Client { get; private set; } = null!;

    internal Uri Address { get; private set; } = null!;

    /// <summary>What the coordinator said so far, for an assertion's message.</summary>
    public string Output => _process?.Output ?? "";

    public async Task InitializeAsync()
    {
        _process = WatchedProcess.Start("coordinator", new Dictionary<string, string>(), ["coordinator", "--dataset", "synthetic", "--clients", "1", "--min-clients", "1",
            "--rounds", "1000", "--members", $"third-party-0,{AbsentMember}", "--port", "0", "--silo-port", "0", "--gateway-port", "0", "--out", _directory,
            "--upload-grace", "2", "--min-upload-rate", "100000000"]);
        Address = await _process.ListeningAsync();
        Client = new ThirdPartyClient(Address, "third-party-0");
        await Client.JoinAsync(200);
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
