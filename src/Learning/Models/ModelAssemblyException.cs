namespace PoolCompress.Learning;

/// <summary>A plug-in model assembly that cannot be used; the message names the file (and the type, when one is at fault).</summary>
public sealed class ModelAssemblyException(string message, Exception? inner = null) : Exception(message, inner);
