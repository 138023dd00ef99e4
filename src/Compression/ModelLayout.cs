using System.Buffers.Binary;
using System.Collections;
using System.IO.Hashing;
using System.Text;

namespace PoolCompress.Compression;

/// <summary>The ordered tensors of a model; an update is one flat vector holding them back to back in this order.</summary>
public sealed class ModelLayout : IReadOnlyList<TensorInfo>
{
    /// <summary>The wire format stores the rank in one byte and names with a 16-bit length.</summary>
    internal const int MaxRank = 32;
    internal const int MaxNameBytes = ushort.MaxValue;

    private readonly TensorInfo[] _tensors;
    private readonly int[] _offsets;

    public ModelLayout(IEnumerable<TensorInfo> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _tensors = tensors.ToArray();
        _offsets = new int[_tensors.Length];
        long total = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _tensors.Length; i++)
        {
            var tensor = _tensors[i] ?? throw new ArgumentException($"tensor {i} is null", nameof(tensors));
            if (!names.Add(tensor.Name)) throw new ArgumentException($"tensor name '{tensor.Name}' appears twice", nameof(tensors));
            if (tensor.Shape.Length > MaxRank) throw new ArgumentException($"tensor '{tensor.Name}' has rank {tensor.Shape.Length}; at most {MaxRank} is supported", nameof(tensors));
            if (Encoding.UTF8.GetByteCount(tensor.Name) > MaxNameBytes) throw new ArgumentException($"tensor name '{tensor.Name[..32]}...' is longer than {MaxNameBytes} UTF-8 bytes", nameof(tensors));
            _offsets[i] = (int)total;
            total += tensor.Length;
            if (total > Array.MaxLength) throw new ArgumentException($"the layout has more than {Array.MaxLength} elements", nameof(tensors));
        }
        TotalLength = (int)total;
        Fingerprint = FingerprintOf(_tensors);
    }

    public int TotalLength { get; }

    /// <summary>
    /// A stable hash of the tensors' names and shapes in order, by which a client and the coordinator agree that
    /// they built the same model: XxHash3 (64 bits, seed 0) over the tensor count (u32) and, per tensor, its entry of
    /// the wire format's tensor table without encoding and body length (u16 name length, UTF-8 name, u8 rank, u32
    /// dimensions), all little-endian (docs/wire-format.md, section 4).
    /// </summary>
    public ulong Fingerprint { get; }

    public int Count => _tensors.Length;

    public TensorInfo this[int index] => _tensors[index];

    public int OffsetOf(int tensorIndex) => _offsets[tensorIndex];

    /// <summary>The position of the first tensor whose name or shape differs from <paramref name="other"/>'s (or that
    /// only one of them has); null when the two layouts are the same.</summary>
    public int? FirstDifference(ModelLayout other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Math.Max(Count, other.Count); i++)
            if (i >= Count || i >= other.Count || !_tensors[i].Equals(other[i])) return i;
        return null;
    }

    /// <summary>
    /// The most bytes a valid payload for this layout can take: no codec makes an update larger than dense float32,
    /// and a header with its tensor table stays far below the 1 MiB allowed on top. Receivers refuse larger
    /// announced sizes before allocating anything.
    /// </summary>
    public long MaxPayloadBytes => (long)TotalLength * sizeof(float) + (1 << 20);

    private static ulong FingerprintOf(TensorInfo[] tensors)
    {
        var hash = new XxHash3();
        Span<byte> number = stackalloc byte[sizeof(uint)];
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)tensors.Length);
        hash.Append(number);
        foreach (var tensor in tensors)
        {
            var name = Encoding.UTF8.GetBytes(tensor.Name);
            BinaryPrimitives.WriteUInt16LittleEndian(number, (ushort)name.Length);
            hash.Append(number[..sizeof(ushort)]);
            hash.Append(name);
            hash.Append([(byte)tensor.Shape.Length]);
            foreach (var dim in tensor.Shape)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)dim);
                hash.Append(number);
            }
        }
        return hash.GetCurrentHashAsUInt64();
    }

    public IEnumerator<TensorInfo> GetEnumerator() => ((IEnumerable<TensorInfo>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
