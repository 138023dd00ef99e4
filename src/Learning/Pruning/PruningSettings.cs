namespace PoolCompress.Learning;

/// <summary>
/// How a trained model is pruned for deployment: first whole channels and hidden units (<see cref="ChannelPruning"/>),
/// then single weights by magnitude (<see cref="MagnitudePruning"/>) among those left. Deterministic: the same model
/// pruned twice is the same smaller model.
/// </summary>
/// <param name="Channels">The fraction of output channels and hidden units each prunable layer loses, 0 for none.</param>
/// <param name="Sparsity">The fraction of the remaining weights zeroed, 0 for none.</param>
public sealed record PruningSettings(double Channels, double Sparsity)
{
    public static PruningSettings None { get; } = new(0, 0);

    public bool IsNone => Channels == 0 && Sparsity == 0;

    /// <summary>The pruned model; it takes over <paramref name="model"/>, which is not to be used or disposed afterwards.</summary>
    /// <exception cref="ArgumentException">A fraction is outside [0, 1).</exception>
    public FederatedModel Apply(FederatedModel model)
    {
        Validate();
        var pruned = Channels > 0 ? ChannelPruning.Apply(model, Channels) : model;
        if (Sparsity > 0) MagnitudePruning.Apply(pruned, Sparsity);
        return pruned;
    }

    /// <exception cref="ArgumentException">A fraction is outside [0, 1).</exception>
    public void Validate()
    {
        RequireFraction(Channels, "channel fraction");
        RequireFraction(Sparsity, "sparsity");
    }

    /// <summary>Checks a fraction pruning takes: at least 0 and below 1 (a model with nothing left computes nothing).</summary>
    public static void RequireFraction(double fraction, string what)
    {
        if (!(fraction is >= 0 and < 1)) throw new ArgumentException($"a pruning {what} is a fraction from 0 up to but not including 1, not {fraction}");
    }
}
