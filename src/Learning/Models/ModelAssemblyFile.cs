namespace PoolCompress.Learning;

/// <summary>The plug-in assembly a model came from: its path as the command line or study file gave it, and the SHA-256 of its bytes (hex).</summary>
public sealed record ModelAssemblyFile(string Path, string Sha256);
