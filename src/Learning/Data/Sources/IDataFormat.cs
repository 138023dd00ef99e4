namespace PoolCompress.Learning;

/// <summary>
/// One format a site's labelled data may come in. A new format is one class implementing this and one line in
/// <see cref="DataFormats"/>.
/// </summary>
public interface IDataFormat
{
    /// <summary>The name summaries and messages use, e.g. <c>idx</c>, <c>csv</c>.</summary>
    string Name { get; }

    /// <summary>Whether <paramref name="path"/> (a file or a directory) holds this format, judged cheaply by its content or extension.</summary>
    bool Recognizes(string path);

    /// <summary>Reads every sample; a malformed file is a <see cref="DataFormatException"/> naming the file and the row or entry.</summary>
    SourceData Read(string path, DataReadOptions options);
}
