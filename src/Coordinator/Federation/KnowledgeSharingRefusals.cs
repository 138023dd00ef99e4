using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// What federated distillation needs and what does not combine with it, one line each: the clients share soft labels
/// on a transfer set, so every rule about one shared network's weights has nothing to act on.
/// </summary>
internal static class KnowledgeSharingRefusals
{
    private const string Prefix = "client-models: ";
    public const string Strategy = "consensus";

    public static IEnumerable<string> Of(FederationSettings s)
    {
        if (!s.SharesKnowledge)
        {
            if (StrategyNameOf(s) == Strategy) yield return $"strategy {Strategy} averages soft labels; it needs client-models and transfer-data";
            yield break;
        }
        if (KnowledgeSharing.Models(s.ClientModels!).Count == 0) yield return $"{Prefix}'{s.ClientModels}' names no model";
        foreach (string model in KnowledgeSharing.Models(s.ClientModels!).Where(m => !ModelFactory.Models.Contains(ModelChoice.Parse(m).Model)))
            yield return $"{Prefix}model '{model}' is unknown; allowed: {string.Join(", ", ModelFactory.Models)}";
        if (string.IsNullOrWhiteSpace(s.TransferData)) yield return $"{Prefix}the clients share soft labels on a transfer set: give transfer-data PATH";
        if (StrategyNameOf(s) != Strategy) yield return $"{Prefix}the clients upload soft labels, which strategy '{s.Strategy}' does not average; use strategy {Strategy}";
        if (s.EvalEvery == 0) yield return $"{Prefix}every client keeps its own network, which only it can score: give eval-every N (with eval-clients all, every client's)";
        if (s.SecureAggregation || s.Teacher is not null || s.PruneDuringTraining > 0 || s.ClipNorm is not null || (s.AdaptiveClipNorm is { } adaptive && adaptive != Aggregation.AdaptiveClipping.Off) || s.DpNoiseMultiplier is not null)
            yield return $"{Prefix}secure-aggregation, teacher, prune-during-training, clip-norm and dp-noise-multiplier act on a shared network's weights, which federated distillation does not have";
    }

    private static string StrategyNameOf(FederationSettings s) => s.Strategy.Split(':', 2)[0].Trim();
}
