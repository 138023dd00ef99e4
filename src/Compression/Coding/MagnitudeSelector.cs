using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PoolCompress.Compression.Coding;

/// <summary>Finds the elements of largest or at-least-threshold magnitude without sorting.
/// For non-negative floats the IEEE bit pattern orders like the value, so |x| is compared as its 31 low bits ("key").
/// Top-k is a two-level radix select on those keys: a 16-bit histogram finds the bucket holding the k-th largest key,
/// a 15-bit histogram of that bucket alone finds the key itself, and a final scan emits indices in ascending order.</summary>
internal static class MagnitudeSelector
{
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const int LowBits = 15;
    private const int HighBuckets = 1 << 16;
    private const int LowBuckets = 1 << LowBits;

    /// <summary>Writes the indices of the <paramref name="indices"/>.Length largest magnitudes in ascending order;
    /// among equal magnitudes at the boundary the lower indices win, so the result is deterministic.</summary>
    public static void SelectLargest(ReadOnlySpan<float> values, Span<int> indices)
    {
        if (indices.Length == 0) return;
        var keys = MemoryMarshal.Cast<float, uint>(values);
        var (key, tiesToTake) = FindKeyOfRank(keys, indices.Length);
        var emitter = new IndexEmitter(key, tiesToTake, indices);
        ScanAtLeast(keys, emitter.Threshold, ref emitter);
    }

    /// <summary>The k-th largest magnitude of <paramref name="values"/> (1 ≤ k ≤ length).</summary>
    public static float KthLargestMagnitude(ReadOnlySpan<float> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, values.Length);
        return BitConverter.UInt32BitsToSingle(FindKeyOfRank(MemoryMarshal.Cast<float, uint>(values), k).Key);
    }

    /// <summary>The key of rank k (1 = largest) and how many elements with exactly that key rank within the top k.</summary>
    private static (uint Key, int Ties) FindKeyOfRank(ReadOnlySpan<uint> keys, int k)
    {
        using var highHistogram = new PooledBuffer<int>(HighBuckets);
        var high = highHistogram.Span;
        high.Clear();
        foreach (var bits in keys) high[(int)((bits & MagnitudeMask) >> LowBits)]++;
        var (bucket, neededFromBucket) = FindBucketOfRank(high, k);

        using var lowHistogram = new PooledBuffer<int>(LowBuckets);
        var bucketCounter = new BucketHistogram((uint)bucket, lowHistogram.Span);
        bucketCounter.Histogram.Clear();
        ScanAtLeast(keys, (uint)bucket << LowBits, ref bucketCounter);
        var (low, ties) = FindBucketOfRank(bucketCounter.Histogram, neededFromBucket);
        return (((uint)bucket << LowBits) | (uint)low, ties);
    }

    /// <summary>Writes the ascending indices of elements with |x| &gt;= <paramref name="threshold"/> (&gt; 0) and returns their count.</summary>
    public static int SelectAtLeast(ReadOnlySpan<float> values, float threshold, Span<int> indices)
    {
        var emitter = new IndexEmitter(BitConverter.SingleToUInt32Bits(threshold), int.MaxValue, indices);
        ScanAtLeast(MemoryMarshal.Cast<float, uint>(values), emitter.Threshold, ref emitter);
        return emitter.Count;
    }

    /// <summary>Walks buckets from the top and returns the one holding the element of the given rank (1 = largest)
    /// and how many elements must be taken from it.</summary>
    private static (int Bucket, int Needed) FindBucketOfRank(ReadOnlySpan<int> histogram, int rank)
    {
        for (var bucket = histogram.Length - 1; bucket > 0; bucket--)
        {
            if (rank <= histogram[bucket]) return (bucket, rank);
            rank -= histogram[bucket];
        }
        return (0, rank);
    }

    private interface IKeyVisitor
    {
        void Visit(int index, uint key);
    }

    /// <summary>Calls the visitor, in index order, for each element whose key is at least <paramref name="floor"/>.
    /// The comparison is vectorized; visits are rare (a top-k or a bucket), so they stay scalar.</summary>
    private static void ScanAtLeast<TVisitor>(ReadOnlySpan<uint> keys, uint floor, ref TVisitor visitor) where TVisitor : IKeyVisitor, allows ref struct
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var start = ref MemoryMarshal.GetReference(keys);
            var mask = Vector256.Create(MagnitudeMask);
            var lowest = Vector256.Create((int)floor);
            for (; i <= keys.Length - Vector256<uint>.Count; i += Vector256<uint>.Count)
            {
                var block = (Vector256.LoadUnsafe(ref start, (nuint)i) & mask).AsInt32();
                var hits = Vector256.GreaterThanOrEqual(block, lowest).ExtractMostSignificantBits();
                for (; hits != 0; hits &= hits - 1)
                {
                    var lane = i + BitOperations.TrailingZeroCount(hits);
                    visitor.Visit(lane, Unsafe.Add(ref start, lane) & MagnitudeMask);
                }
            }
        }
        for (; i < keys.Length; i++)
        {
            var key = keys[i] & MagnitudeMask;
            if (key >= floor) visitor.Visit(i, key);
        }
    }

    private ref struct BucketHistogram(uint bucket, Span<int> histogram) : IKeyVisitor
    {
        public readonly Span<int> Histogram = histogram;

        public readonly void Visit(int index, uint key)
        {
            if (key >> LowBits == bucket) Histogram[(int)(key & (LowBuckets - 1))]++;
        }
    }

    /// <summary>Emits indices with key above the threshold, and the first <c>ties</c> with key equal to it.</summary>
    private ref struct IndexEmitter(uint threshold, int ties, Span<int> indices) : IKeyVisitor
    {
        private readonly Span<int> _indices = indices;
        private int _ties = ties;

        public readonly uint Threshold => threshold;

        public int Count { get; private set; }

        public void Visit(int index, uint key)
        {
            if (key == threshold && _ties-- <= 0) return;
            _indices[Count++] = index;
        }
    }
}
