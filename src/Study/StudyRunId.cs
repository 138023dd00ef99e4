using System.Globalization;
using System.Text;
using PoolCompress.Learning;

namespace PoolCompress.Study;

/// <summary>
/// Names a run by its grid point, <c>MODEL[-POOL]__PARTITION__CODEC[__down-DOWNLINK][__secureSUPPORT]__sSEED[__STRATEGY[-clipC]][__atk-ATTACK]</c>
/// (the last two only in studies that list strategies or attacks), in characters every file system
/// and URL accepts: ':' is dropped and '&gt;', ',' and anything unusual become '-'.
/// </summary>
internal static class StudyRunId
{
    public static string For(ModelChoice model, string partition, CodecChoice codec, long seed, StrategyChoice? strategy = null, string? attack = null)
    {
        string modelPart = model.HeadPool is null ? Slug(model.Model) : $"{Slug(model.Model)}-{Slug(model.HeadPool)}";
        string codecPart = (codec.Downlink is null ? Slug(codec.Uplink) : $"{Slug(codec.Uplink)}__down-{Slug(codec.Downlink)}")
            + (codec.SecureSupport is { } support ? string.Create(CultureInfo.InvariantCulture, $"__secure{support}") : "");
        string strategyPart = strategy is null ? ""
            : strategy.ClipNorm is { } clip ? string.Create(CultureInfo.InvariantCulture, $"__{Slug(strategy.Strategy)}-clip{clip}") : $"__{Slug(strategy.Strategy)}";
        string attackPart = attack is null ? "" : $"__atk-{Slug(attack)}";
        return string.Create(CultureInfo.InvariantCulture, $"{modelPart}__{Slug(partition)}__{codecPart}__s{seed}{strategyPart}{attackPart}");
    }

    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (char c in text.Trim().ToLowerInvariant())
        {
            if (c == ':') continue;
            slug.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-');
        }
        return slug.ToString();
    }
}
