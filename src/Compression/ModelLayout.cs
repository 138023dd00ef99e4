using System.Collections;
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
    }

    public int TotalLength { get; }

    public int Count => _tensors.Length;

    public TensorInfo this[int index] => _tensors[index];

    public int OffsetOf(int tensorIndex) => _offsets[tensorIndex];

    /// <summary>
    /// The most bytes a valid payload for this layout can take: no codec makes an update larger than dense float32,
    /// and a header with its tensor table stays far below the 1 MiB allowed on top. Receivers refuse larger
    /// announced sizes before allocating anything.
    /// </summary>
    public long MaxPayloadBytes => (long)TotalLength * sizeof(float) + (1 << 20);

    public IEnumerator<TensorInfo> GetEnumerator() => ((IEnumerable<TensorInfo>)_tensors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
