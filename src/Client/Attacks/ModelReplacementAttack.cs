namespace PoolCompress.Client.Attacks;

/// <summary>
/// Model replacement (Bagdasaryan et al., "How To Backdoor Federated Learning", 2020) with a constant target: the update
/// is scale times the step from the global model to a model whose every weight is <c>value</c>, boosted so that it
/// survives being averaged with the honest updates.
/// </summary>
public sealed class ModelReplacementAttack(double value, double scale) : IUpdateFilter
{
    public void Apply(Span<float> update, ReadOnlySpan<float> global, int round)
    {
        for (int i = 0; i < update.Length; i++) update[i] = (float)(scale * (value - global[i]));
    }
}
