using System.Numerics.Tensors;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// What a client does with a model it is given, as Flower's ClientApp: <see cref="FitAsync"/> trains it on the
/// client's data and returns the update, <see cref="EvaluateAsync"/> scores it on the client's validation data. The
/// transport (<see cref="FederationClient"/>) never looks inside; the update then passes the <see cref="UpdateChain"/>.
/// With a <paramref name="teacher"/>, fitting distils it into the model at the federation's temperature and weight.
/// </summary>
public sealed class ClientApp(TrainingGate gate, Dataset data, Dataset? validation, FederatedModel? teacher = null, GradualPruning? pruning = null) : IClientApp
{
    /// <summary>The data the client trains on, its labels numbered as the federation numbers its classes.</summary>
    public Dataset Data => data;

    /// <summary>Trains from <paramref name="global"/> and writes the trained weights minus it into <paramref name="update"/>.</summary>
    public async Task<FitResult> FitAsync(float[] global, FitTask task, float[] update, CancellationToken cancellationToken)
    {
        var (training, growth) = await gate.RunAsync(slot => ClientPeakMemory.WhileTraining(() =>
        {
            var model = slot.ModelFor(task.Config);
            model.SetWeights(global);
            var result = LocalTrainer.Train(model, data, TrainingOptionsFor(task) with { Pruned = PrunedParametersOf(global, task) },
                cancellationToken, LossFor(task.Config));
            model.GetWeights(update);
            return result;
        }), cancellationToken);
        TensorPrimitives.Subtract(update, global, update);
        return new FitResult(update, training, growth);
    }

    /// <summary>
    /// How the federation's configuration and the task turn into this client's training: the strategy's per-client
    /// fit config on the task header overrides the federation's defaults.
    /// </summary>
    public static TrainingOptions TrainingOptionsFor(FitTask task) => FitConfig.Apply(
        new(task.Config.LocalEpochs, task.Config.BatchSize, task.Config.LearningRate, task.Seed, task.Config.Momentum, task.Config.ProximalMu),
        task.Header.FitConfig);

    /// <summary>Under pruning during training, which of the model's parameters have pruned weights (their zeros stay zero).</summary>
    private bool[]? PrunedParametersOf(float[] global, FitTask task)
    {
        if (pruning is null) return null;
        var layout = new ModelLayout(task.Config.Layout.Select(t => new TensorInfo(t.Name, [.. t.Shape])));
        var live = pruning.LiveOf(layout, global, task.Header.ModelVersion);
        return [.. Enumerable.Range(0, layout.Count).Select(live.IsCompacted)];
    }

    private Distillation? LossFor(FederationConfig config) =>
        teacher is null ? null : new Distillation(teacher, config.DistillTemperature, config.DistillAlpha);

    /// <summary>Scores <paramref name="global"/> on the validation data; null for a client without any.</summary>
    public Task<EvaluationResult?> EvaluateAsync(float[] global, FederationConfig config, CancellationToken cancellationToken) =>
        Evaluate(gate, validation, config, global, cancellationToken);

    /// <summary>Scores <paramref name="weights"/> of the network <paramref name="config"/> describes on <paramref name="validation"/>; null when that is empty.</summary>
    internal static async Task<EvaluationResult?> Evaluate(
        TrainingGate gate, Dataset? validation, FederationConfig config, float[] weights, CancellationToken cancellationToken)
    {
        if (validation is not { Count: > 0 } samples) return null;
        return await gate.RunAsync(slot =>
        {
            var model = slot.ModelFor(config);
            model.SetWeights(weights);
            return Evaluator.Evaluate(model, samples);
        }, cancellationToken);
    }
}

/// <summary>One training task: the federation's configuration, the coordinator's task and the seed of this client's round.</summary>
public sealed record FitTask(FederationConfig Config, TaskHeader Header, long Seed);

/// <summary>A fit's outcome: the update (trained weights minus the global model), how training went and how much memory it grew.</summary>
public sealed record FitResult(float[] Update, TrainingResult Training, long TrainingGrowthBytes);
