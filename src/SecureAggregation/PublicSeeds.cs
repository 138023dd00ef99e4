using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// Seeds everyone can compute from the round's public seed: SHA-256 of a use's ASCII label followed by the round
/// seed as 8 little-endian bytes. Distinct labels keep the pairing graph and the shared support independent.
/// </summary>
public static class PublicSeeds
{
    public const string PairingLabel = "poolcompress/secagg/v1/pairing";
    public const string SupportLabel = "poolcompress/secagg/v1/support";

    public static byte[] Derive(string label, ulong roundSeed)
    {
        var labelBytes = Encoding.ASCII.GetBytes(label);
        var input = new byte[labelBytes.Length + sizeof(ulong)];
        labelBytes.CopyTo(input, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(labelBytes.Length), roundSeed);
        return SHA256.HashData(input);
    }
}
