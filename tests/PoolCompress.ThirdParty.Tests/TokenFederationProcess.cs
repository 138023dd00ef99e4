namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// A real coordinator process whose clients prove who they are with per-client tokens, provisioned as an operator
/// would (<c>certs init</c>, then <c>certs issue --token</c> per client): a federation of <see cref="Members"/>
/// clients, all selected each round, with default influence settings; and a token for one id past them.
/// </summary>
public sealed class TokenFederationProcess : IAsyncLifetime
{
    public const int Members = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(1);
    private readonly string _directory = Directory.CreateTempSubdirectory("poolcompress-third-party-tokens-").FullName;
    private readonly Dictionary<string, string> _tokens = [];
    private WatchedProcess? _process;

    internal Uri Address { get; private set; } = null!;

    public string Output => _process?.Output ?? "";

    public static string IdOf(int index) => $"client-{index:D4}";

    /// <summary>The token <c>certs issue</c> printed for <paramref name="clientId"/>.</summary>
    public string TokenOf(string clientId) => _tokens[clientId];

    public async Task InitializeAsync()
    {
        string authority = Path.Combine(_directory, "federation");
        await RunAsync("certs", "init", "--out", authority);
        foreach (string id in Enumerable.Range(0, Members + 1).Select(IdOf))
        {
            string printed = await RunAsync("certs", "issue", "--dir", authority, "--client", id, "--token");
            // The token is the last word of the one line that names it: ID.SECRET.
            _tokens[id] = printed.Split(default(char[]), StringSplitOptions.RemoveEmptyEntries).Last(word => word.StartsWith(id + ".", StringComparison.Ordinal));
        }
        _process = WatchedProcess.Start("coordinator", new Dictionary<string, string>(), ["coordinator", "--dataset", "synthetic",
            "--clients", $"{Members}", "--min-clients", $"{Members}", "--rounds", "1000", "--client-tokens", Path.Combine(authority, "client-tokens.txt"),
            "--port", "0", "--silo-port", "0", "--gateway-port", "0", "--out", Path.Combine(_directory, "run")]);
        Address = await _process.ListeningAsync();
    }

    /// <summary>Runs a `poolcompress` command to its end and returns what it printed; it must succeed.</summary>
    internal static async Task<string> RunAsync(params string[] args)
    {
        var result = await CliProcess.RunAsync(CommandTimeout, args);
        Assert.True(result.ExitCode == 0, $"poolcompress {string.Join(' ', args)}: exit {result.ExitCode}\n{result.Stderr}");
        return result.Stdout;
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
