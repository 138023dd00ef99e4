namespace PoolCompress.Plugins;

/// <summary>A plug-in assembly that cannot be used; the message names the file (and the type, when one is at fault).</summary>
public sealed class PluginAssemblyException(string message, Exception? inner = null) : Exception(message, inner);
