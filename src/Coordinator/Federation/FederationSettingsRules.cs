using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// What the coordinator reads out of the shared contract records with its own libraries (data specs, clipping rules,
/// plug-in models), which the contracts project does not reference.
/// </summary>
public static class FederationSettingsRules
{
    extension(FederationSettings settings)
    {
        /// <summary>The samples and classes clients' data must fit.</summary>
        public DataSpec ParseDataSpec() => DataSpec.Parse(settings.InputShape, settings.Classes, DataSpec.Digits);

        /// <summary>
        /// The adaptive clipping rule: the one given, or <see cref="AdaptiveClipping.Default"/> when no clipping was set
        /// (differential privacy always sets a fixed one, and secure aggregation hides the norms it reads); null when
        /// clipping is fixed or off.
        /// </summary>
        public AdaptiveClipping? ParseAdaptiveClipping() => settings.AdaptiveClipNorm switch
        {
            AdaptiveClipping.Off => null,
            null => settings.ClipNorm is null && settings.DpNoiseMultiplier is null && !settings.SecureAggregation ? AdaptiveClipping.Default : null,
            var rule => AdaptiveClipping.Parse(rule),
        };

        /// <summary>The bound round 1 clips updates to; null: none.</summary>
        public double? FirstClipBound() => settings.ClipNorm ?? settings.ParseAdaptiveClipping()?.Initial;

        /// <summary>These settings with the assembly the model came from, when it is a plug-in's.</summary>
        public FederationSettings WithModelAssembly() =>
            ModelAssemblies.FileOf(settings.Model) is { } file ? settings with { ModelAssembly = file.Path, ModelAssemblySha256 = file.Sha256 } : settings;
    }

    extension(ClientTotals totals)
    {
        public ClientTotals Add(TrainingReport report) => totals with
        {
            Updates = totals.Updates + 1,
            UplinkBytes = totals.UplinkBytes + report.UplinkBytes,
            DownlinkBytes = totals.DownlinkBytes + report.DownlinkBytes,
        };
    }
}
