using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace PoolCompress.Learning;

/// <summary>
/// Mixed pooling (Lee et al. 2016): alpha * max + (1 - alpha) * avg over a size x size grid, with
/// alpha = sigmoid(mix) learned. <c>mix</c> starts at 0, an even blend.
/// </summary>
internal sealed class MixedPool2d : Module<Tensor, Tensor>
{
    private readonly long[] _outputSize;
    private readonly Parameter _mix;

    public MixedPool2d(int size) : base(nameof(MixedPool2d))
    {
        _outputSize = [size, size];
        _mix = new Parameter(zeros(1));
        register_parameter("mix", _mix);
    }

    /// <summary>The pooled grid's side.</summary>
    public int Size => (int)_outputSize[0];

    /// <summary>alpha, the weight of the max pool (the rest goes to the average pool).</summary>
    public double MaxWeight
    {
        get
        {
            using var _ = no_grad();
            using var alpha = _mix.sigmoid();
            return alpha.item<float>();
        }
    }

    public override Tensor forward(Tensor input)
    {
        using var max = functional.adaptive_max_pool2d(input, _outputSize);
        using var avg = functional.adaptive_avg_pool2d(input, _outputSize);
        using var alpha = _mix.sigmoid();
        return avg.lerp(max, alpha);
    }
}
