using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>
/// Client state on disk between a client's rounds, for thousands of clients per process: an encoder exists only
/// while its client is active and is written to one file per client afterwards (raw float32, restored bit for
/// bit). A client selected in one round of ten would otherwise keep its residual, velocity and global model in
/// memory for nine rounds in which it does nothing; so clients do not hold the global model either.
/// </summary>
public sealed class SpilledClientState : IClientStateStore
{
    private readonly string _directory;

    public SpilledClientState(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    public bool HoldsGlobalModel => false;

    public UpdateEncoder Restore(string clientId, Func<UpdateEncoder> create)
    {
        var encoder = create();
        string path = PathOf(clientId);
        if (!File.Exists(path)) return encoder;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            encoder.RestoreState(file);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message} (a state directory from another federation or model?)", e);
        }
        return encoder;
    }

    public void Keep(string clientId, UpdateEncoder encoder)
    {
        // Written beside and renamed over, so a process killed mid-write leaves the previous state, never half of one.
        string path = PathOf(clientId), partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            encoder.SaveState(file);
        File.Move(partial, path, overwrite: true);
    }

    private string PathOf(string clientId) => Path.Combine(_directory, clientId + ".state");
}
