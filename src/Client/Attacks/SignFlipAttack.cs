using System.Numerics.Tensors;

namespace PoolCompress.Client.Attacks;

/// <summary>Sends the honest update reversed and enlarged, -scale times it, to push the model away from where training leads.</summary>
public sealed class SignFlipAttack(double scale) : IUpdateFilter
{
    public void Apply(Span<float> update, ReadOnlySpan<float> global, int round) =>
        TensorPrimitives.Multiply(update, (float)-scale, update);
}
