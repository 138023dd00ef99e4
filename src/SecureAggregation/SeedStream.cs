using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// The protocol's one pseudorandom generator: AES-256 in counter mode keyed by a 32-byte seed, the counter a
/// 128-bit big-endian integer from 0, the keystream read as little-endian 32-bit words. A third-party client
/// reproduces every mask, support and pairing from this definition.
/// </summary>
public sealed class SeedStream : IDisposable
{
    public const int SeedBytes = 32;
    private const int BlocksPerRefill = 64;

    private readonly Aes _aes = Aes.Create();
    private readonly byte[] _counters = new byte[BlocksPerRefill * 16];
    private readonly byte[] _keystream = new byte[BlocksPerRefill * 16];
    private UInt128 _nextBlock;
    private int _position;

    public SeedStream(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedBytes)
            throw new ArgumentException($"a seed has {SeedBytes} bytes, not {seed.Length}", nameof(seed));
        _aes.Key = seed.ToArray();
        _position = _keystream.Length;
    }

    public uint NextUInt32()
    {
        if (_position == _keystream.Length)
            Refill();
        var word = BinaryPrimitives.ReadUInt32LittleEndian(_keystream.AsSpan(_position));
        _position += 4;
        return word;
    }

    /// <summary>A uniform integer in [0, bound): words in the incomplete last stretch of 2^32 are drawn again.</summary>
    public uint NextBelow(uint bound)
    {
        if (bound == 0)
            throw new ArgumentOutOfRangeException(nameof(bound), "the bound must be positive");
        var limit = uint.MaxValue - (uint)(((ulong)uint.MaxValue + 1) % bound);
        uint word;
        do
            word = NextUInt32();
        while (word > limit);
        return word % bound;
    }

    private void Refill()
    {
        for (var block = 0; block < BlocksPerRefill; block++)
            BinaryPrimitives.WriteUInt128BigEndian(_counters.AsSpan(block * 16), _nextBlock++);
        _aes.EncryptEcb(_counters, _keystream, PaddingMode.None);
        _position = 0;
    }

    public void Dispose() => _aes.Dispose();
}
