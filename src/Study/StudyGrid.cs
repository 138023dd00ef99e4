using PoolCompress.Learning;

namespace PoolCompress.Study;

/// <summary>
/// The grid a study crosses: every codec with every model, partition and seed, and, when the study lists them,
/// every strategy (with or without clipping) and every attack ("none" for none). Without those two lists runs use
/// base.strategy and no attack, and their ids do not mention them.
/// </summary>
public sealed record StudyGrid(
    IReadOnlyList<CodecChoice> Codecs,
    IReadOnlyList<ModelChoice> Models,
    IReadOnlyList<string> Partitions,
    IReadOnlyList<long> Seeds,
    IReadOnlyList<StrategyChoice>? Strategies = null,
    IReadOnlyList<string>? Attacks = null)
{
    /// <summary>The attack entry that means honest clients.</summary>
    public const string NoAttack = "none";

    /// <summary>
    /// Spells every entry the one way its parser prints it, so that run ids are stable and two spellings of the same
    /// codec are caught as a duplicate. Entries that do not parse are kept as written for the validator to report.
    /// </summary>
    internal StudyGrid Canonical() => new(
        [.. Codecs.Select(c => c.Canonical())],
        [.. Models.Select(m => new ModelChoice(m.Model.Trim().ToLowerInvariant(), m.HeadPool))],
        [.. Partitions.Select(p => p.Trim().ToLowerInvariant())],
        Seeds,
        Strategies?.Select(s => s with { Strategy = s.Strategy.Trim().ToLowerInvariant() }).ToList(),
        Attacks?.Select(a => a.Trim().ToLowerInvariant()).ToList());

    internal IEnumerable<string> Duplicates() =>
        Repeated("grid.codecs", Codecs.Select(c => c.ToString()))
            .Concat(Repeated("grid.models", Models.Select(m => m.ToString())))
            .Concat(Repeated("grid.partitions", Partitions))
            .Concat(Repeated("grid.seeds", Seeds.Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .Concat(Repeated("grid.strategies", (Strategies ?? []).Select(s => s.ToString())))
            .Concat(Repeated("grid.attacks", Attacks ?? []));

    private static IEnumerable<string> Repeated(string key, IEnumerable<string> values) =>
        values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => $"{key} lists '{g.Key}' more than once");
}
