using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>What a joining client is told about the federation: everything it needs to build and train the model.</summary>
public static class FederationConfigs
{
    public static FederationConfig For(FederationSettings s, CoordinatorModel model, FederatedStrategy strategy) => new()
    {
        Rounds = s.Rounds,
        LocalEpochs = s.LocalEpochs,
        BatchSize = s.BatchSize,
        LearningRate = (float)s.LearningRate,
        Model = s.Model,
        HeadPool = s.HeadPool ?? "",
        Codec = s.Codec,
        DownlinkCodec = s.DownlinkCodec,
        Seed = unchecked((ulong)s.Seed),
        TotalClients = s.Clients,
        ParameterCount = model.ParameterCount,
        Momentum = (float)s.Momentum,
        ProximalMu = (float)FitConfig.Real(strategy.SharedFitConfig, FitConfig.ProximalMu, 0),
        InputShape = { model.DataSpec.InputShape },
        ClassNames = { model.DataSpec.Classes },
        LayoutFingerprint = model.Layout.Fingerprint,
        Layout = { model.Layout.Select(t => new TensorLayout { Name = t.Name, Shape = { t.Shape } }) },
    };
}
