namespace PoolCompress.Learning;

/// <summary>What one call of local training did: the sample-weighted mean loss of its last epoch, the dataset size, and the SGD steps taken.</summary>
public sealed record TrainingResult(double MeanLoss, int Samples, int Steps, double Seconds);
