using System.CommandLine;
using System.Globalization;
using PoolCompress.Coordinator;

namespace PoolCompress.Cli;

/// <summary>
/// How long an upload may take: its header within the grace, its payload within the grace plus its announced size at
/// the minimum rate, else it is cut off (docs/hostile-clients.md#uploads). Defaults are <see cref="CoordinatorOptions"/>'s.
/// </summary>
internal sealed class UploadLimitCliOptions
{
    private const string Section = CoordinatorOptions.SectionName;
    private static readonly CoordinatorOptions Defaults = new();

    public Option<double> Grace { get; } = new("--upload-grace")
    {
        Description = "Seconds an upload's header may take, and its payload beyond its size at --min-upload-rate; a slower upload is cut off " +
            $"(RESOURCE_EXHAUSTED) and the round goes on without it (default {Defaults.UploadGrace.TotalSeconds.ToString(CultureInfo.InvariantCulture)})",
    };
    public Option<int> MinRate { get; } = new("--min-upload-rate")
    {
        Description = "Bytes per second an upload must keep up after --upload-grace: its payload must arrive within the grace plus its announced size " +
            $"at this rate (default {Defaults.MinUploadBytesPerSecond.ToString(CultureInfo.InvariantCulture)})",
    };

    public IEnumerable<Option> All => [Grace, MinRate];

    /// <exception cref="ArgumentException">the grace is not a positive number of seconds that a TimeSpan holds.</exception>
    public void AddTo(Dictionary<string, string?> configuration, ParseResult parse)
    {
        configuration.Put(parse, MinRate, $"{Section}:{nameof(CoordinatorOptions.MinUploadBytesPerSecond)}");
        if (parse.GetResult(Grace) is null) return;
        double seconds = parse.GetValue(Grace);
        if (!(seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds))
            throw new ArgumentException($"--upload-grace must be a positive number of seconds, got {seconds.ToString(CultureInfo.InvariantCulture)}");
        configuration[$"{Section}:{nameof(CoordinatorOptions.UploadGrace)}"] = TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);
    }
}
