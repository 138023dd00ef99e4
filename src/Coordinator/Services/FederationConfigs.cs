using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>What a joining client is told about the federation: everything it needs to build and train the model.</summary>
public static class FederationConfigs
{
    /// <summary>The options from their declarations' <see cref="FederationOption.ProtoField"/>; the rest from the model and the strategy.</summary>
    public static FederationConfig For(FederationSettings s, CoordinatorModel model, FederatedStrategy strategy)
    {
        var config = new FederationConfig
        {
            ParameterCount = model.ParameterCount,
            ProximalMu = (float)FitConfig.Real(strategy.SharedFitConfig, FitConfig.ProximalMu, 0),
            InputShape = { model.DataSpec.InputShape },
            ClassNames = { model.DataSpec.Classes },
            LayoutFingerprint = model.Layout.Fingerprint,
            Layout = { model.Layout.Select(t => new TensorLayout { Name = t.Name, Shape = { t.Shape } }) },
        };
        ProtoOptions.Write(s, config);
        return config;
    }
}
