namespace PoolCompress.Learning;

/// <summary>
/// Unstructured pruning: zeroes the weights of smallest magnitude, ranked globally across every weight tensor (every
/// parameter of two or more dimensions: convolution kernels, fully connected matrices), so layers lose what they can
/// spare rather than one fraction each. Biases, norms and pool blends are left whole: they are few and shift every output.
/// </summary>
public static class MagnitudePruning
{
    /// <summary>Zeroes the <paramref name="sparsity"/> fraction of weights of smallest magnitude in place; returns the weights' sparsity after.</summary>
    public static double Apply(FederatedModel model, double sparsity)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningSettings.RequireFraction(sparsity, "sparsity");
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        int[] candidates = WeightIndices(model);
        int pruned = (int)Math.Round(sparsity * candidates.Length);
        if (pruned > 0)
        {
            float[] magnitudes = [.. candidates.Select(i => Math.Abs(weights[i]))];
            Array.Sort(magnitudes, candidates);
            foreach (int i in candidates.AsSpan(0, pruned)) weights[i] = 0;
            model.SetWeights(weights);
        }
        return Sparsity(model, weights);
    }

    /// <summary>The fraction of the model's weights (parameters of two or more dimensions) that are zero.</summary>
    public static double Sparsity(FederatedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var weights = new float[model.ParameterCount];
        model.GetWeights(weights);
        return Sparsity(model, weights);
    }

    private static double Sparsity(FederatedModel model, float[] weights)
    {
        int[] indices = WeightIndices(model);
        return indices.Length == 0 ? 0 : indices.Count(i => weights[i] == 0) / (double)indices.Length;
    }

    /// <summary>Positions in the flat weight vector of every parameter with two or more dimensions.</summary>
    private static int[] WeightIndices(FederatedModel model)
    {
        var indices = new List<int>();
        int offset = 0;
        foreach (var parameter in model.Parameters)
        {
            if (parameter.Shape.Length >= 2) indices.AddRange(Enumerable.Range(offset, parameter.Length));
            offset += parameter.Length;
        }
        return [.. indices];
    }
}
