namespace PoolCompress.Contracts;

/// <summary>The model a run trained: its name, its pooled head if any, and their parameter counts.</summary>
public sealed record ModelSummary(string Name, string? HeadPool, int Parameters, int HeadParameters);
