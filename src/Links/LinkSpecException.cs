namespace PoolCompress.Links;

/// <summary>A link profile or assignment rule is malformed; the message names the faulty part and what is allowed.</summary>
public sealed class LinkSpecException : Exception
{
    public LinkSpecException() { }

    public LinkSpecException(string message) : base(message) { }

    public LinkSpecException(string message, Exception innerException) : base(message, innerException) { }
}
