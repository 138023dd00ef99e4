using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Identity;
using PoolCompress.Coordinator.Services;
using PoolCompress.Learning;
using PoolCompress.Links;

namespace PoolCompress.Coordinator.Federation;

/// <summary>Rejects a federation configuration at start-up, naming every option that is wrong and why.</summary>
public sealed class FederationSettingsValidator : IValidateOptions<FederationSettings>
{
    public ValidateOptionsResult Validate(string? name, FederationSettings s)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(s.FederationId)) errors.Add("federation id must not be empty");
        errors.AddRange(FederationOptions.Checked.Select(o => o.Problem(s)).OfType<string>());
        CheckBounds(errors, s);
        CheckMembers(errors, s);
        CheckPrivacyAndClipping(errors, s);
        CheckData(errors, s);
        CheckSpecs(errors, s);
        if (s.SecureAggregation) errors.AddRange(SecureAggregationRefusals.Of(s));
        errors.AddRange(KnowledgeSharingRefusals.Of(s));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckBounds(List<string> errors, FederationSettings s)
    {
        if (s.MinClients < 1 || s.MinClients > s.Clients)
            errors.Add($"min-clients must be between 1 and clients ({s.Clients}), got {s.MinClients}");
        if (s.MaxSampleCount < 1 || s.MaxSampleCount > FedAvgAggregator.MaxWeight)
            errors.Add($"max-sample-count must be between 1 and {FedAvgAggregator.MaxWeight}, got {s.MaxSampleCount}");
    }

    private static void CheckMembers(List<string> errors, FederationSettings s)
    {
        if (s.Members is null) return;
        var ids = FederationMembership.ParseList(s.Members);
        foreach (string id in ids.Where(id => !ClientIds.IsValid(id))) errors.Add($"members: '{id}' is not a client id: {ClientIds.Rule}");
        foreach (string id in ids.CountBy(id => id).Where(c => c.Value > 1).Select(c => c.Key)) errors.Add($"members: '{id}' is listed twice");
        if (ids.Count < s.MinClients)
            errors.Add($"members lists {ids.Count} client id(s), fewer than min-clients ({s.MinClients}): no round could start");
    }

    private static void CheckPrivacyAndClipping(List<string> errors, FederationSettings s)
    {
        if (s.DpNoiseMultiplier is { } z)
        {
            if (!(z > 0 && double.IsFinite(z))) errors.Add($"dp-noise-multiplier must be a positive number, got {z}");
            if (s.AdaptiveClipNorm is { } adaptive && adaptive != AdaptiveClipping.Off)
                errors.Add("dp-noise-multiplier needs a fixed clip-norm, not adaptive clipping: the noise is calibrated to one bound, and a bound taken from the updates' norms would leak what they are");
            else if (s.ClipNorm is null) errors.Add("dp-noise-multiplier needs clip-norm: the noise is z times the clip norm");
            if (!(s.DpDelta > 0 && s.DpDelta < 1)) errors.Add($"dp-delta must be in (0, 1), got {s.DpDelta}");
            if (CombinesUpdatesWhole(s.Strategy))
                errors.Add($"dp-noise-multiplier adds noise to the sum of updates; strategy '{s.Strategy}' does not use that sum");
        }
        if (s.AdaptiveClipNorm is not null && s.ClipNorm is not null)
            errors.Add("clip-norm is either a number or adaptive[:factor=F,initial=C], not both");
        Try(errors, () => s.ParseAdaptiveClipping());
        if (s.RoundTimeout <= TimeSpan.Zero) errors.Add($"round timeout must be positive, got {s.RoundTimeout}");
        if (s.JoinTimeout <= TimeSpan.Zero) errors.Add($"join timeout must be positive, got {s.JoinTimeout}");
    }

    private static void CheckData(List<string> errors, FederationSettings s)
    {
        if (!DatasetCatalog.Names.Contains(s.Dataset))
            errors.Add($"dataset '{s.Dataset}' is unknown; allowed: {string.Join(", ", DatasetCatalog.Names)}");
        if (!EvaluatingClients.Names.Contains(s.EvalClients))
            errors.Add($"eval-clients '{s.EvalClients}' is unknown; allowed: {string.Join(", ", EvaluatingClients.Names)}");
        if (s.Dataset == DatasetCatalog.NoData && s.EvalEvery == 0)
            errors.Add($"dataset {DatasetCatalog.NoData} leaves the coordinator without a test set: give eval-every N so that the clients evaluate the model");
    }

    /// <summary>Every spec option (links, partition, model, codecs, strategy) parsed by its own parser, whose message names what is wrong.</summary>
    private static void CheckSpecs(List<string> errors, FederationSettings s)
    {
        if (s.EmulatesLinks && string.IsNullOrWhiteSpace(s.Links)) errors.Add($"link mode {s.LinkMode.ToString().ToLowerInvariant()} needs a link rule (links), e.g. up=1mbit,down=10mbit,rtt=50ms");
        else if (s.EmulatesLinks) Try(errors, () => LinkAssignment.Parse(s.Links!, s.Clients, s.Seed));
        Try(errors, () => Partitioners.Parse(s.Partition));
        Try(errors, () => ModelFactory.Create(s.Model, s.HeadPool, s.Seed, s.ParseDataSpec()).Dispose());
        Try(errors, () =>
        {
            if (CodecSpec.Parse(s.Codec).Prediction > 0)
                errors.Add($"codec '{s.Codec}': predict= extrapolates the published model that every client holds, which only the downlink codec has; drop it from the uplink codec");
        });
        Try(errors, () =>
        {
            if (CodecSpec.Parse(s.DownlinkCodec).FollowsOneClientsUpdates)
                errors.Add($"downlink codec '{s.DownlinkCodec}': momentum follows one client's successive updates; each downlink difference is encoded afresh, so drop it there");
        });
        Try(errors, () => FederatedStrategies.Create(s.Strategy));
        if (s.Teacher is { } teacher) Try(errors, () => TeacherModel.Load(teacher, s.TeacherModel, s.ParseDataSpec()).Dispose());
        if (s.SharesKnowledge && s.TransferData is { } transfer) Try(errors, () => TransferSet.Load(transfer, s.ParseDataSpec(), s.TransferSamples));
    }

    /// <summary>Whether the strategy is a robust rule; a bad spec is reported on its own.</summary>
    internal static bool CombinesUpdatesWhole(string strategy)
    {
        try { return FederatedStrategies.Create(strategy).NeedsUpdates; }
        catch (ArgumentException) { return false; }
    }

    private static void Try(List<string> errors, Action check)
    {
        try { check(); }
        catch (Exception e) when (e is ArgumentException or CodecSpecException or LinkSpecException or DataFormatException) { errors.Add(e.Message); }
    }
}
