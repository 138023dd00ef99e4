namespace PoolCompress.Learning;

/// <summary>A data file is malformed or truncated; the message names the file and what is wrong with it.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException() { }

    public DataFormatException(string message) : base(message) { }

    public DataFormatException(string message, Exception innerException) : base(message, innerException) { }
}
