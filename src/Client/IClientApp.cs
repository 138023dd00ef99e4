using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// What a client does with the federation's shared state it is given, as Flower's ClientApp: fit it on the client's
/// data into an upload, and score on the client's validation data. <see cref="ClientApp"/> shares one network's
/// weights; <see cref="KnowledgeApp"/> shares soft labels on a transfer set (federated distillation).
/// </summary>
public interface IClientApp
{
    /// <summary>The data the client trains on, its labels numbered as the federation numbers its classes.</summary>
    Dataset Data { get; }

    /// <summary>Trains from <paramref name="global"/> and writes what the client uploads into <paramref name="update"/>.</summary>
    Task<FitResult> FitAsync(float[] global, FitTask task, float[] update, CancellationToken cancellationToken);

    /// <summary>The score on the validation data; null for a client without any.</summary>
    Task<EvaluationResult?> EvaluateAsync(float[] global, FederationConfig config, CancellationToken cancellationToken);
}
