namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// A federation's durable state. Model weights are not here: they live in the model store under
/// <see cref="ModelVersion"/>, so that this stays small however large the model.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.FederationState")]
public sealed class FederationState
{
    [Id(0)] public FederationSettings? Settings { get; set; }
    /// <summary>Joined clients and their sample counts, the FedAvg weights.</summary>
    [Id(1)] public Dictionary<string, long> Clients { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public FederationPhase Phase { get; set; }
    /// <summary>The round in progress, or the last one when done.</summary>
    [Id(3)] public int Round { get; set; }
    /// <summary>How often the current round was restarted (deadline with no update, or a coordinator restart).</summary>
    [Id(4)] public int Attempt { get; set; }
    /// <summary>The published global model version clients train from.</summary>
    [Id(5)] public long ModelVersion { get; set; }
    [Id(6)] public List<string> Selected { get; set; } = [];
    [Id(7)] public List<RoundMetrics> History { get; set; } = [];
    [Id(8)] public Dictionary<string, ClientTotals> ClientTotals { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Steps the strategy has taken (rounds that moved the model); its arrays live in the model store.</summary>
    [Id(9)] public int StrategySteps { get; set; }
    /// <summary>When the round in progress first started: its wall time spans every attempt and coordinator restart.</summary>
    [Id(10)] public DateTime RoundStartedUtc { get; set; }
    /// <summary>Round deadlines each client missed in a row, while that counts (see <see cref="FederationSettings.DropAfterMissed"/>).</summary>
    [Id(11)] public Dictionary<string, int> MissedDeadlines { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Rényi DP spent by the noisy rounds so far, at each of the accountant's orders (empty without DP).</summary>
    [Id(12)] public List<double> SpentRdp { get; set; } = [];
    /// <summary>Completed rounds whose model is still being evaluated: they join <see cref="History"/> in order once it is.</summary>
    [Id(13)] public List<RoundMetrics> AwaitingEvaluation { get; set; } = [];
    /// <summary>
    /// The L2 bound the round in progress clips updates to (null: none): the fixed clip norm, or under adaptive
    /// clipping the one set when the previous round closed, so that a restarted attempt clips as the first did.
    /// </summary>
    [Id(14)] public double? ClipBound { get; set; }
    /// <summary>Each silo's socket counters as far as closed rounds counted them, by partial aggregate key (<see cref="RoundTraffic"/>).</summary>
    [Id(15)] public Dictionary<string, SiloTraffic> SiloTraffic { get; set; } = new(StringComparer.Ordinal);
    /// <summary>
    /// Updates the round in progress needs (with over-selection, fewer than <see cref="Selected"/>): set when its clients
    /// are drawn and kept by every rerun of the same clients, however many joined since.
    /// </summary>
    [Id(16)] public int RoundTarget { get; set; }
    /// <summary>
    /// What the strategy told each of <see cref="Selected"/> for its training, kept so that a rerun of the same clients
    /// tells them the same. Empty in a state written before it was kept: clients then train as the federation's config says.
    /// </summary>
    [Id(17)] public Dictionary<string, Dictionary<string, string>> FitConfigs { get; set; } = new(StringComparer.Ordinal);
}
