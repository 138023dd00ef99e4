namespace PoolCompress.Learning;

/// <summary>Local training settings; <paramref name="Seed"/> fixes the minibatch order.</summary>
public sealed record TrainingOptions(int Epochs, int BatchSize, double LearningRate, long Seed);
