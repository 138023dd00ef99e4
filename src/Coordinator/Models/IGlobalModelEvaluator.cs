using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Models;

/// <summary>Scores a global model version on the held-out test set.</summary>
public interface IGlobalModelEvaluator
{
    Task<EvaluationResult> EvaluateAsync(float[] weights);
}
