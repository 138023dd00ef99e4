namespace PoolCompress.Contracts;

/// <summary>
/// What a federation is: who takes part, how rounds run and what clients train. Bound from the "Federation"
/// configuration section, validated at start-up, and persisted with the federation's grain state so that a
/// restarted coordinator can tell whether its storage belongs to the same federation.
/// </summary>
[GenerateSerializer, Alias("PoolCompress.FederationSettings")]
public sealed record FederationSettings
{
    public const string SectionName = "Federation";

    [Id(0)] public string FederationId { get; set; } = "default";
    /// <summary>Clients expected to join; round 1 starts when all of them have (or at the join timeout).</summary>
    [Id(1)] public int Clients { get; set; } = 10;
    [Id(2)] public int Rounds { get; set; } = 10;
    [Id(3)] public double Fraction { get; set; } = 1.0;
    [Id(4)] public int MinClients { get; set; } = 2;
    [Id(5)] public int LocalEpochs { get; set; } = 2;
    [Id(6)] public int BatchSize { get; set; } = 32;
    [Id(7)] public double LearningRate { get; set; } = 0.2;
    [Id(8)] public string Model { get; set; } = "cnn";
    [Id(9)] public string? HeadPool { get; set; }
    [Id(10)] public string Codec { get; set; } = "none";
    [Id(11)] public string DownlinkCodec { get; set; } = "none";
    [Id(12)] public long Seed { get; set; } = 42;
    [Id(13)] public string Partition { get; set; } = "iid";
    [Id(14)] public string Dataset { get; set; } = "mnist";
    /// <summary>How long a round waits for the selected clients' updates before aggregating what arrived.</summary>
    [Id(15)] public TimeSpan RoundTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long the first round waits for all expected clients before starting with those present.</summary>
    [Id(16)] public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Link emulation: off, modeled (transfer times computed from socket bytes) or real (clients' sockets throttled).</summary>
    [Id(17)] public LinkMode LinkMode { get; set; }
    /// <summary>Which client gets which link: PROFILE, all:PROFILE, mix:a=0.5,b=0.5 or file:PATH.</summary>
    [Id(18)] public string? Links { get; set; }
    /// <summary>Local SGD momentum (0 for plain SGD).</summary>
    [Id(19)] public double Momentum { get; set; }
    /// <summary>Federated optimisation strategy, NAME[:k=v,...], one of the coordinator's registered strategies.</summary>
    [Id(20)] public string Strategy { get; set; } = "fedavg";
    /// <summary>The largest FedAvg weight a client's claimed sample count can give it.</summary>
    [Id(21)] public long MaxSampleCount { get; set; } = 1_000_000;
    /// <summary>Weigh every update the same, whatever sample count its client claims.</summary>
    [Id(22)] public bool EqualWeights { get; set; }
    /// <summary>Each update is scaled down to this L2 norm, when longer, before it is summed; unset: no clipping.</summary>
    [Id(23)] public double? ClipNorm { get; set; }
    /// <summary>
    /// Round deadlines in a row a selected client may miss before it leaves the selection pool, until it calls
    /// again (0: never), so that rounds stop waiting on clients that are gone.
    /// </summary>
    [Id(24)] public int DropAfterMissed { get; set; }
    /// <summary>
    /// Over-selection (Bonawitz et al., 2019): select this many times the clients a round needs and close the round
    /// as soon as that many updates arrived, so that a few slow or dead clients do not hold it up (1: off).
    /// </summary>
    [Id(25)] public double OverSelect { get; set; } = 1.0;
    /// <summary>The classes, as names separated by commas or as a count (named 0..N-1); unset: the digits 0..9.</summary>
    [Id(26)] public string? Classes { get; set; }
    /// <summary>The shape of one sample, e.g. 3x32x32 or 20 (a table row); unset: 1x28x28.</summary>
    [Id(27)] public string? InputShape { get; set; }
    /// <summary>
    /// Differential privacy: Gaussian noise of this many clip norms (standard deviation z·ClipNorm) is added to each
    /// round's sum of clipped, equally weighted updates; unset: no noise.
    /// </summary>
    [Id(28)] public double? DpNoiseMultiplier { get; set; }
    /// <summary>The delta at which the run's epsilon is reported.</summary>
    [Id(29)] public double DpDelta { get; set; } = 1e-5;
    /// <summary>
    /// Simulations only: which clients send malicious updates, and how (e.g. signflip:scale=10@0,1). The coordinator
    /// does not read it; it is here so that a run's summary records it with the rest of its configuration.
    /// </summary>
    [Id(30)] public string? Attack { get; set; }
    /// <summary>
    /// Federated evaluation after every this many rounds and after the last (0: none): clients score the new global
    /// model on their local validation data and the coordinator averages what they report.
    /// </summary>
    [Id(31)] public int EvalEvery { get; set; }
    /// <summary>Who evaluates: the clients selected for the round (selected) or every joined client (all).</summary>
    [Id(32)] public string EvalClients { get; set; } = EvaluatingClients.Selected;
    /// <summary>
    /// Adaptive clipping, <c>adaptive[:factor=F,initial=C]</c> (<c>--clip-norm adaptive</c>): each round's bound is F
    /// times the previous round's median update norm, instead of the fixed <see cref="ClipNorm"/>; unset: off.
    /// </summary>
    [Id(33)] public string? AdaptiveClipNorm { get; set; }
    /// <summary>
    /// A plug-in model's assembly, as given (<c>--model-assembly</c>), and the SHA-256 of its bytes. The federation
    /// does not read them; a run's summary records them so that it names the build
    /// that trained, which the model's name alone does not.
    /// </summary>
    [Id(34)] public string? ModelAssembly { get; set; }
    [Id(35)] public string? ModelAssemblySha256 { get; set; }
    /// <summary>
    /// A client's FedAvg weight is capped at this many times the median weight of the round's selected clients, so a
    /// claim cannot outweigh the federation (0: no cap beyond <see cref="MaxSampleCount"/>).
    /// </summary>
    [Id(36)] public double WeightCap { get; set; } = 3;
    /// <summary>
    /// Secure aggregation (SecAgg+, docs/secure-aggregation.md): clients mask small integers at a support every client
    /// of the round shares, and the coordinator sees only their sum. Rules that need one client's update are refused.
    /// </summary>
    [Id(37)] public bool SecureAggregation { get; set; }
    /// <summary>The fraction of the model's coordinates a secure round's support holds.</summary>
    [Id(38)] public double SecureSupport { get; set; } = 0.02;
    /// <summary>The integer levels each side of zero a secure round's values are rounded to (1: ternary).</summary>
    [Id(39)] public int SecureLevels { get; set; } = 1;
    /// <summary>The value of one level; a client's values are clipped to <see cref="SecureLevels"/> times it.</summary>
    [Id(40)] public double SecureScale { get; set; } = 0.01;
    /// <summary>
    /// The fraction of a secure round's support the coordinator takes from the coordinates the global model moved most
    /// in its last step (public: every client downloads both models); the rest is drawn from the round's seed. Off by
    /// default: on MNIST it learned more slowly than a support drawn whole (docs/secure-aggregation.md).
    /// </summary>
    [Id(46)] public double SecureFollow { get; set; }

    /// <summary>The most levels a secure round takes: with 2^16 clients a sum still fits the 32-bit mask space.</summary>
    public const int MaxSecureLevels = 32_767;

    /// <summary>
    /// Knowledge distillation: the teacher model every site holds (an export's PATH), which the clients' local
    /// training distils into the federation's model; unset: plain training. <see cref="TeacherModel"/> names its
    /// architecture (<c>MODEL[+HEAD_POOL]</c>) when no PATH.json says it.
    /// </summary>
    [Id(41)] public string? Teacher { get; set; }
    [Id(42)] public string? TeacherModel { get; set; }
    /// <summary>The temperature T that softens the teacher's and the student's predictions.</summary>
    [Id(43)] public double DistillTemperature { get; set; } = 3;
    /// <summary>The weight alpha of the soft (teacher) term; 1 - alpha weighs the labels' cross-entropy.</summary>
    [Id(44)] public double DistillAlpha { get; set; } = 0.5;
    /// <summary>
    /// The operator's list of the client ids that may join, separated by commas; unset: with client certificates or
    /// tokens, client-0000 to client-(N-1) of <see cref="Clients"/>, and with the shared token, any id.
    /// </summary>
    [Id(45)] public string? Members { get; set; }

    /// <summary>
    /// Magnitude pruning during training: the sparsity the prunable weights reach (0: none), over the first
    /// <see cref="PruneRounds"/> rounds on Zhu and Gupta's cubic schedule (docs/deployable-models.md).
    /// </summary>
    [Id(47)] public double PruneDuringTraining { get; set; }
    [Id(48)] public int PruneRounds { get; set; } = 10;

    /// <summary>
    /// Federated distillation (docs/distillation.md): the networks the clients train, MODEL[+HEAD_POOL] separated by
    /// commas, cycled over the clients (KnowledgeSharing.ModelOf); unset: every client trains the
    /// federation's <see cref="Model"/> and shares weights. Set, clients share soft labels on <see cref="TransferData"/>.
    /// </summary>
    [Id(49)] public string? ClientModels { get; set; }
    /// <summary>The unlabelled transfer set every site holds (any format <c>--data</c> reads).</summary>
    [Id(50)] public string? TransferData { get; set; }
    /// <summary>The transfer samples scored each round, drawn from the round's seed.</summary>
    [Id(51)] public int TransferSamples { get; set; } = 500;

    /// <summary>The most transfer samples a round scores: bounds what one soft-label upload may decode to.</summary>
    public const int MaxTransferSamples = 100_000;

    /// <summary>Whether clients share soft labels on a transfer set instead of weights.</summary>
    public bool SharesKnowledge => !string.IsNullOrWhiteSpace(ClientModels);

    /// <summary>Whether clients evaluate the model that round <paramref name="round"/> made.</summary>
    public bool EvaluatesAfter(int round) => EvalEvery > 0 && (round % EvalEvery == 0 || round == Rounds);

    public bool EmulatesLinks => LinkMode != LinkMode.Off;

    /// <summary>Clients selected per round: the fraction of those joined, but at least MinClients.</summary>
    public int ClientsPerRound(int joined) =>
        Math.Min(joined, Math.Max(MinClients, (int)Math.Ceiling(Fraction * joined)));

    /// <summary>Clients asked to train in a round that needs <paramref name="target"/> updates.</summary>
    public int OverSelected(int target) => (int)Math.Ceiling(target * OverSelect);
}

/// <summary>The values of <see cref="FederationSettings.EvalClients"/>.</summary>
public static class EvaluatingClients
{
    public const string Selected = "selected";
    public const string All = "all";
    public static readonly string[] Names = [Selected, All];
}
