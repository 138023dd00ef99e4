using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// A federated distillation client (FedMD, DS-FL): it keeps a network of its own kind (<see cref="KnowledgeSharing.ModelOf"/>),
/// which never leaves it. Given the consensus soft labels of the last round's transfer samples (none at model version 1),
/// it distils them into its network at the federation's temperature, trains on its own data, and uploads its class
/// probabilities for this round's transfer samples. Both sample draws follow the model version, as the coordinator's.
/// </summary>
public sealed class KnowledgeApp : IClientApp
{
    private readonly TrainingGate _gate;
    private readonly Dataset? _validation;
    private readonly Dataset _transfer;
    private readonly FederationConfig _own;
    private readonly float[] _weights;

    private KnowledgeApp(TrainingGate gate, Dataset data, Dataset? validation, Dataset transfer, FederationConfig own, float[] weights)
    {
        (_gate, Data, _validation, _transfer, _own, _weights) = (gate, data, validation, transfer, own, weights);
    }

    public Dataset Data { get; }

    /// <summary>A client of <paramref name="config"/>'s federated distillation, with the network its id is given, seeded by the federation.</summary>
    public static async Task<KnowledgeApp> CreateAsync(
        string clientId, TrainingGate gate, Dataset data, Dataset? validation, FederationConfig config, CancellationToken cancellationToken)
    {
        var own = config.Clone();
        var choice = ModelChoice.Parse(KnowledgeSharing.ModelOf(clientId, config.ClientModels));
        (own.Model, own.HeadPool) = (choice.Model, choice.HeadPool ?? "");
        own.Layout.Clear();
        var transfer = await gate.TransferSetFor(config, cancellationToken);
        var weights = await gate.RunAsync(_ =>
        {
            using var model = ModelFactory.Create(choice.Model, choice.HeadPool, unchecked((long)config.Seed), DataAgreement.SpecOf(config));
            var layout = LayoutAgreement.LayoutOf(model);
            own.Layout.Add(layout.Select(t => new TensorLayout { Name = t.Name, Shape = { t.Shape } }));
            own.LayoutFingerprint = layout.Fingerprint;
            var initial = new float[model.ParameterCount];
            model.GetWeights(initial);
            return initial;
        }, cancellationToken);
        return new KnowledgeApp(gate, data, validation, transfer, own, weights);
    }

    public async Task<FitResult> FitAsync(float[] global, FitTask task, float[] update, CancellationToken cancellationToken)
    {
        var options = ClientApp.TrainingOptionsFor(task);
        long version = task.Header.ModelVersion;
        var (training, growth) = await _gate.RunAsync(slot => ClientPeakMemory.WhileTraining(() =>
        {
            var model = slot.ModelFor(_own);
            model.SetWeights(_weights);
            if (version > HeldModel.InitialVersion)
                ConsensusDistillation.Distil(model, _transfer, SamplesOf(task, version - 1), global, options, task.Config.DistillTemperature, task.Config.DistillAlpha, cancellationToken);
            var result = LocalTrainer.Train(model, Data, options, cancellationToken);
            model.GetWeights(_weights);
            ConsensusDistillation.Score(model, _transfer, SamplesOf(task, version), update);
            return result;
        }), cancellationToken);
        return new FitResult(update, training, growth);
    }

    /// <summary>Scores the client's own network (the consensus is no network) on its validation data.</summary>
    public Task<EvaluationResult?> EvaluateAsync(float[] global, FederationConfig config, CancellationToken cancellationToken) =>
        ClientApp.Evaluate(_gate, _validation, _own, _weights, cancellationToken);

    /// <summary>The transfer samples whose soft labels make model version <paramref name="version"/> + 1.</summary>
    private int[] SamplesOf(FitTask task, long version) =>
        KnowledgeSharing.SamplesOf(checked((int)version), task.Config.TransferSamples, _transfer.Count, unchecked((long)task.Config.Seed));
}
