namespace PoolCompress.Learning;

/// <summary>
/// What one source held: its samples, and for each of its classes where it was first seen (a file and row, a
/// folder), so that a class the federation does not know can be traced to the file that holds it.
/// </summary>
public sealed record SourceData(Dataset Data, IReadOnlyList<string> ClassOrigins);
