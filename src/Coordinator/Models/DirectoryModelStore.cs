using System.Runtime.InteropServices;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// Model versions as files (<c>DIR/SERIES/model-VERSION.f32</c>, raw little-endian float32), written to a
/// temporary name and renamed so that a crash never leaves a half-written version behind.
/// </summary>
public sealed class DirectoryModelStore(string root) : IModelStore
{
    public async Task SaveAsync(string series, long version, ReadOnlyMemory<float> weights, CancellationToken cancellationToken = default)
    {
        string path = PathOf(series, version);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await file.WriteAsync(MemoryMarshal.AsBytes(weights.Span).ToArray(), cancellationToken);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<float[]?> LoadAsync(string series, long version, CancellationToken cancellationToken = default)
    {
        string path = PathOf(series, version);
        if (!File.Exists(path)) return null;
        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (bytes.Length % sizeof(float) != 0)
            throw new InvalidDataException($"model file {path} has {bytes.Length} bytes, not a whole number of float32 values");
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }

    private string PathOf(string series, long version) =>
        Path.Combine(root, series, $"model-{version:D6}.f32");
}
