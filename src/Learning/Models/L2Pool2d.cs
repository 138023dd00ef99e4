using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>Adaptive L2-norm pooling: sqrt(mean of squares) over each cell of a size x size grid.</summary>
internal sealed class L2Pool2d : Module<Tensor, Tensor>
{
    /// <summary>Keeps the square root's gradient finite where a whole cell is zero, as ReLU outputs often are.</summary>
    public const double Epsilon = 1e-6;

    private readonly long[] _outputSize;

    public L2Pool2d(int size) : base(nameof(L2Pool2d)) => _outputSize = [size, size];

    /// <summary>The pooled grid's side.</summary>
    public int Size => (int)_outputSize[0];

    public override Tensor forward(Tensor input)
    {
        using var squares = input.square();
        using var meanSquares = functional.adaptive_avg_pool2d(squares, _outputSize);
        return meanSquares.add_(Epsilon).sqrt();
    }
}
