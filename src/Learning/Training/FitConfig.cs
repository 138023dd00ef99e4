using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>
/// The training config a federation's strategy sends one client with one round's task (Flower's fit config): each
/// entry overrides one of the federation's <see cref="TrainingOptions"/> for that round, so a strategy that tunes
/// clients (FedProx's mu, a per-client learning rate) needs no change to the protocol or the trainer. Values are
/// invariant-culture text; real numbers are float32, as the protocol's own training fields are. A key this build
/// does not know is left alone, so an older client still trains under a newer coordinator.
/// </summary>
public static class FitConfig
{
    public const string ProximalMu = "proximal_mu";
    public const string LocalEpochs = "local_epochs";
    public const string BatchSize = "batch_size";
    public const string LearningRate = "learning_rate";
    public const string Momentum = "momentum";

    /// <summary><paramref name="options"/> with the entries of <paramref name="config"/> in place of their defaults.</summary>
    /// <exception cref="InvalidDataException">An entry is not a number of its kind.</exception>
    public static TrainingOptions Apply(TrainingOptions options, IReadOnlyDictionary<string, string> config) => options with
    {
        Epochs = Whole(config, LocalEpochs, options.Epochs),
        BatchSize = Whole(config, BatchSize, options.BatchSize),
        LearningRate = Real(config, LearningRate, options.LearningRate),
        Momentum = Real(config, Momentum, options.Momentum),
        ProximalMu = Real(config, ProximalMu, options.ProximalMu),
    };

    /// <summary>A real number as an entry's text: the float32 the client will read back.</summary>
    public static string Format(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The real number at <paramref name="key"/>, widened from float32; <paramref name="fallback"/> when absent.</summary>
    public static double Real(IReadOnlyDictionary<string, string> config, string key, double fallback) =>
        !config.TryGetValue(key, out string? text) ? fallback
        : float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) ? value
        : throw new InvalidDataException($"fit config '{key}' must be a finite number, got '{text}'");

    private static int Whole(IReadOnlyDictionary<string, string> config, string key, int fallback) =>
        !config.TryGetValue(key, out string? text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value
        : throw new InvalidDataException($"fit config '{key}' must be a whole number, got '{text}'");
}
