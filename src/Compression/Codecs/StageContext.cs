using PoolCompress.Compression.Coding;

namespace PoolCompress.Compression.Codecs;

/// <summary>What a stage knows about its input besides the values: the matrix it came from (pooling windows follow rows)
/// and a seed shared by encoder and decoder.</summary>
public readonly record struct StageContext(int Rows, int Columns, ulong Seed)
{
    public int Length => Rows * Columns;

    /// <summary>The magnitude of the whole update's k-th largest element, for a first stage that selects across tensors
    /// (<c>topk:F:global</c>). Only the encoder knows it; the decoder reads the kept count from the payload.</summary>
    public float UpdateThreshold { get; init; }

    /// <summary>The encoding client's state for this tensor (warm starts); null when decoding or encoding statelessly.</summary>
    internal StageState? State { get; init; }

    /// <summary>Views a tensor as a matrix of its first dimension by the rest, the way a weight matrix or conv kernel is laid out.</summary>
    internal static StageContext ForTensor(TensorInfo tensor, ulong payloadSeed, int tensorIndex)
    {
        var rows = tensor.Shape.Length == 0 || tensor.Length == 0 ? 1 : tensor.Shape[0];
        return new StageContext(rows, rows == 0 ? 0 : tensor.Length / rows, SeedMixer.Mix(payloadSeed, (ulong)tensorIndex));
    }

    /// <summary>The context of a tensor coded over <paramref name="codedLength"/> values: its matrix view when that is
    /// all of it, one row of its live coordinates when pruning left fewer (<see cref="LiveCoordinates"/>).</summary>
    internal static StageContext ForCodedTensor(TensorInfo tensor, int codedLength, ulong payloadSeed, int tensorIndex) =>
        codedLength == tensor.Length ? ForTensor(tensor, payloadSeed, tensorIndex)
            : new StageContext(1, codedLength, SeedMixer.Mix(payloadSeed, (ulong)tensorIndex));

    /// <summary>The context for the next stage; its seed differs so that stages draw independent random numbers.</summary>
    public StageContext Next(int rows, int columns) => new(rows, columns, SeedMixer.Mix(Seed, 0x5eed)) { State = State };
}
