using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Per-client tokens as the coordinator stores them: one <c>CLIENT_ID SALT HASH</c> a line, HASH = SHA-256(salt ||
/// secret), base64. A token reads <c>CLIENT_ID.SECRET</c>: the id finds its one line, so checking a call costs one
/// hash whatever the number of clients. The secret is 32 random bytes, so a plain salted hash is as strong as a slow one.
/// </summary>
public static class ClientTokenFile
{
    private const int SecretBytes = 32;
    private const int SaltBytes = 16;

    public sealed record Entry(byte[] Salt, byte[] Hash);

    /// <summary>A new token for <paramref name="clientId"/> and the line that stores it.</summary>
    public static (string Token, string Line) Issue(string clientId)
    {
        string secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return ($"{clientId}.{secret}", $"{clientId} {Convert.ToBase64String(salt)} {Convert.ToBase64String(Hash(salt, secret))}");
    }

    public static IReadOnlyDictionary<string, Entry> Parse(string text)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var fields in RevocationList.Lines(text))
        {
            if (fields.Length != 3) throw new InvalidDataException($"a client token line must read 'CLIENT_ID SALT HASH', got {fields.Length} fields");
            entries[fields[0]] = new Entry(Convert.FromBase64String(fields[1]), Convert.FromBase64String(fields[2]));
        }
        return entries;
    }

    /// <summary>The client a bearer token belongs to, or null when it is no stored client's current token.</summary>
    public static string? ClientOf(IReadOnlyDictionary<string, Entry> entries, string token)
    {
        int dot = token.LastIndexOf('.');
        if (dot <= 0 || !entries.TryGetValue(token[..dot], out var entry)) return null;
        return CryptographicOperations.FixedTimeEquals(Hash(entry.Salt, token[(dot + 1)..]), entry.Hash) ? token[..dot] : null;
    }

    /// <summary>The file's lines without <paramref name="clientId"/>'s.</summary>
    public static IEnumerable<string> Without(IEnumerable<string> lines, string clientId) =>
        lines.Where(line => line.Split(' ', 2)[0] != clientId);

    private static byte[] Hash(byte[] salt, string secret) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(secret)]);
}
