namespace PoolCompress.Compression;

/// <summary>A codec spec string is malformed; the message names the faulty stage and what is allowed.</summary>
public sealed class CodecSpecException : Exception
{
    public CodecSpecException() { }

    public CodecSpecException(string message) : base(message) { }

    public CodecSpecException(string message, Exception innerException) : base(message, innerException) { }
}
