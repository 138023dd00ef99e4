namespace PoolCompress.Learning;

/// <summary>One trainable tensor of a model: its name, shape, and whether it belongs to the classifier head.</summary>
public sealed record ParameterInfo(string Name, int[] Shape, bool IsHead)
{
    /// <summary>Number of elements, i.e. this tensor's span in the flat weight vector.</summary>
    public int Length { get; } = Shape.Aggregate(1, (product, size) => checked(product * size));
}
