namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// A small file read again whenever it changed (size or write time), so an edit (a revocation, a removed token)
/// applies at the next call without a restart; an unchanged file costs one stat per call.
/// </summary>
internal sealed class ReloadingFile<T>(string path, Func<string, T> parse, T whenMissing) where T : class
{
    private readonly Lock _gate = new();
    private (DateTime WrittenUtc, long Length) _stamp = (DateTime.MinValue, -1);
    private readonly T _missing = whenMissing;
    private T _value = whenMissing;

    public string Path => path;

    public T Current
    {
        get
        {
            var file = new FileInfo(path);
            var stamp = file.Exists ? (file.LastWriteTimeUtc, file.Length) : (DateTime.MinValue, -1L);
            lock (_gate)
            {
                if (stamp != _stamp)
                {
                    _value = file.Exists ? parse(File.ReadAllText(path)) : _missing;
                    _stamp = stamp;
                }
                return _value;
            }
        }
    }
}
