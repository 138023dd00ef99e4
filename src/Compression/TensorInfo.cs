namespace PoolCompress.Compression;

/// <summary>A named tensor of the model and its shape; <see cref="Length"/> is the number of elements.</summary>
public sealed record TensorInfo(string Name, int[] Shape)
{
    public string Name { get; init => field = !string.IsNullOrEmpty(value) ? value : throw new ArgumentException("tensor name must not be empty", nameof(Name)); } = Name;

    // Copied so that a caller mutating its array cannot change a layout that encoders and decoders already agreed on.
    public int[] Shape { get; init => field = ValidatedCopy(value); } = ValidatedCopy(Shape);

    public int Length => checked(Shape.Aggregate(1, (product, dim) => product * dim));

    /// <summary>
    /// A weight matrix or kernel (two or more dimensions) of at least <paramref name="minElements"/> elements: what a
    /// codec chain codes (<see cref="UpdateEncoderOptions.DenseBelowElements"/>) and pruning during training prunes
    /// (<see cref="GradualPruning.IsPrunable"/>). Vectors (biases, normalisation) and smaller tensors are few and move
    /// every output, so they are sent whole and never pruned. Judged by shape alone, never by a layer's name or position.
    /// </summary>
    public bool IsCodedWeight(int minElements) => Shape.Length >= 2 && Length >= minElements;

    public bool Equals(TensorInfo? other) =>
        other is not null && Name == other.Name && Shape.AsSpan().SequenceEqual(other.Shape);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        foreach (var dim in Shape) hash.Add(dim);
        return hash.ToHashCode();
    }

    private static int[] ValidatedCopy(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (var dim in shape)
        {
            if (dim < 0) throw new ArgumentException($"shape [{string.Join(',', shape)}] has a negative dimension", nameof(Shape));
            length *= dim;
            if (length > int.MaxValue) throw new ArgumentException($"shape [{string.Join(',', shape)}] has more than {int.MaxValue} elements", nameof(Shape));
        }
        return (int[])shape.Clone();
    }
}
