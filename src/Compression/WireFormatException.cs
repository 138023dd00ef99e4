namespace PoolCompress.Compression;

/// <summary>A payload is not a valid encoding of the expected model; the message names the field and why it was rejected.</summary>
public sealed class WireFormatException : Exception
{
    public WireFormatException() { }

    public WireFormatException(string message) : base(message) { }

    public WireFormatException(string message, Exception innerException) : base(message, innerException) { }
}
