using System.Text;
using Google.Protobuf;
using PoolCompress.Compression;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// Client state on disk between a client's rounds, for thousands of clients per process: an encoder exists only
/// while its client is active and is written to one file per client afterwards (raw float32, restored bit for
/// bit), together with the update it encoded, which the client may have to send again. A client selected in one
/// round of ten would otherwise keep its residual, velocity, last update and global model in memory for nine rounds
/// in which it does nothing; so clients do not hold the global model either.
/// </summary>
public sealed class SpilledClientState : IClientStateStore
{
    private const int FileMagic = 0x31_54_53_43; // "CST1"
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
        return Read(clientId, file =>
        {
            ReadUnacknowledged(file);
            encoder.RestoreState(file);
            return encoder;
        }) ?? encoder;
    }

    public UnacknowledgedUpdate? Unacknowledged(string clientId) => Read(clientId, ReadUnacknowledged);

    public void Keep(string clientId, UpdateEncoder encoder, UnacknowledgedUpdate sent)
    {
        // Written beside and renamed over, so a process killed mid-write leaves the previous state, never half of one,
        // and never a residual without the update it gave up.
        string path = PathOf(clientId), partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(FileMagic);
                WriteBlock(writer, sent.Header.ToByteArray());
                WriteBlock(writer, sent.Payload);
            }
            encoder.SaveState(file);
        }
        File.Move(partial, path, overwrite: true);
    }

    private T? Read<T>(string clientId, Func<Stream, T> read) where T : class
    {
        string path = PathOf(clientId);
        if (!File.Exists(path)) return null;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            return read(file);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message} (a state directory from another federation or model?)", e);
        }
    }

    /// <summary>The update at the head of a state file; leaves the stream where the encoder's state begins.</summary>
    private static UnacknowledgedUpdate ReadUnacknowledged(Stream file)
    {
        using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadInt32() != FileMagic) throw new InvalidDataException("not a client state file");
            var header = UpdateHeader.Parser.ParseFrom(ReadBlock(reader, "kept update's header"));
            return new UnacknowledgedUpdate(header, ReadBlock(reader, "kept update"));
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("client state ends early");
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"the kept update's header does not parse: {e.Message}");
        }
    }

    private static void WriteBlock(BinaryWriter writer, byte[] block)
    {
        writer.Write(block.Length);
        writer.Write(block);
    }

    private static byte[] ReadBlock(BinaryReader reader, string what)
    {
        int length = reader.ReadInt32();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"the {what} claims {length} bytes; the file holds {reader.BaseStream.Length - reader.BaseStream.Position} more");
        return reader.ReadBytes(length);
    }

    private string PathOf(string clientId) => Path.Combine(_directory, clientId + ".state");
}
