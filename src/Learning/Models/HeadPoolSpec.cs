using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// A parsed head-pool spec <c>KIND:SIZE</c> (KIND avg, max, l2 or mixed; SIZE the output grid side) or
/// <c>spp:L1,L2,...</c> (one adaptive max pool per pyramid level).
/// </summary>
internal sealed record HeadPoolSpec(HeadPoolKind Kind, int[] Levels)
{
    /// <summary>Pooling only shrinks: grids up to the body's 7x7 output make sense.</summary>
    public const int MaxSize = 7;

    private static readonly Dictionary<string, HeadPoolKind> KindsByName =
        Enum.GetValues<HeadPoolKind>().ToDictionary(kind => kind.ToString().ToLowerInvariant());

    /// <summary>Pooled cells per channel, i.e. the head's input width divided by the body's channel count.</summary>
    public int CellsPerChannel => Levels.Sum(level => level * level);

    /// <summary>The layer that pools the body's feature maps; its output is flattened into the head's first layer.</summary>
    public Module<Tensor, Tensor> CreateLayer() => Kind switch
    {
        HeadPoolKind.Avg => AdaptiveAvgPool2d([Levels[0], Levels[0]]),
        HeadPoolKind.Max => AdaptiveMaxPool2d([Levels[0], Levels[0]]),
        HeadPoolKind.L2 => new L2Pool2d(Levels[0]),
        HeadPoolKind.Mixed => new MixedPool2d(Levels[0]),
        HeadPoolKind.Spp => new SpatialPyramidPool2d(Levels),
        _ => throw new InvalidOperationException($"head pool kind {Kind} has no layer"),
    };

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{string.Join(',', Levels)}";

    public static HeadPoolSpec Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Trim().ToLowerInvariant().Split(':');
        if (parts.Length != 2 || !KindsByName.TryGetValue(parts[0], out var kind))
            throw Invalid(spec, "expected KIND:SIZE with KIND avg, max, l2, mixed or spp, e.g. avg:2 or spp:1,2,4");

        string[] sizes = parts[1].Split(',');
        if (kind != HeadPoolKind.Spp && sizes.Length != 1)
            throw Invalid(spec, "only spp takes a list of pyramid levels; other kinds take one SIZE");
        var levels = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            if (!int.TryParse(sizes[i], NumberStyles.None, CultureInfo.InvariantCulture, out levels[i]) || levels[i] is < 1 or > MaxSize)
                throw Invalid(spec, $"'{sizes[i]}' is not a grid size from 1 to {MaxSize}");
        }
        if (levels.Distinct().Count() != levels.Length)
            throw Invalid(spec, "spp levels must be distinct");
        return new HeadPoolSpec(kind, levels);
    }

    private static ArgumentException Invalid(string spec, string reason) => new($"head pool '{spec}' is invalid: {reason}", nameof(spec));
}
