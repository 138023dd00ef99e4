namespace PoolCompress.Client;

/// <summary>How one client reaches its coordinator. Bound from the "Client" configuration section.</summary>
public sealed class ClientOptions
{
    public const string SectionName = "Client";

    /// <summary>
    /// The coordinator's URL, or its silos' URLs in the order this client prefers them: calls go to the first that
    /// accepts a connection and move on to the next when it is lost (see <see cref="FederationClient.CreateChannel(IReadOnlyList{Uri}, HttpMessageHandler?)"/>).
    /// </summary>
    public IReadOnlyList<Uri> Coordinators { get; set; } = [new("http://127.0.0.1:5080")];
    public string ClientId { get; set; } = "client-0";
    /// <summary>Federation token sent as <c>authorization: Bearer TOKEN</c> when set.</summary>
    public string? Token { get; set; }
    /// <summary>First wait after the coordinator could not be reached; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How long the client keeps retrying an unreachable coordinator before it gives up.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Local samples held back for validation, reported when joining so the run's summary can say what was trained on.</summary>
    public int ValidationSamples { get; set; }
}
