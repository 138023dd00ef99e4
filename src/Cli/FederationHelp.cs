using PoolCompress.Compression;
using PoolCompress.Contracts;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;

namespace PoolCompress.Cli;

/// <summary>An option's help: its declared text, the names its catalog holds now, and its default.</summary>
internal static class FederationHelp
{
    public static string Describe(FederationOption option)
    {
        string names = NamesOf(option.Names) is { } catalog ? $"; one of {string.Join(", ", catalog)}" : "";
        string defaultText = option.DefaultText is { } value ? $" (default: {value})" : "";
        return option.Help + names + defaultText;
    }

    /// <summary>The one place the command line asks each registry for its names.</summary>
    public static IEnumerable<string>? NamesOf(NameCatalog catalog) => catalog switch
    {
        NameCatalog.Models => ModelFactory.Models,
        NameCatalog.Datasets => DatasetCatalog.Names,
        NameCatalog.Partitions => Partitioners.Kinds,
        NameCatalog.Strategies => FederatedStrategies.Names,
        NameCatalog.CodecStages => CodecSpec.StageNames,
        NameCatalog.LinkModes => Enum.GetNames<LinkMode>().Select(n => n.ToLowerInvariant()),
        NameCatalog.EvaluatingClients => EvaluatingClients.Names,
        _ => null,
    };
}
