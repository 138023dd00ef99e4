using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PoolCompress.Learning;

/// <summary>
/// Knowledge distillation (Hinton et al.): the student's loss is
/// alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T)) + (1 - alpha) * CE(student, labels).
/// The T^2 keeps the soft term's gradients the size of the hard term's whatever the temperature. The teacher only
/// predicts: it runs in eval mode without gradients and is never changed.
/// </summary>
public sealed class Distillation : ITrainingLoss
{
    private readonly FederatedModel _teacher;
    private readonly double _temperature;
    private readonly double _alpha;

    public Distillation(FederatedModel teacher, double temperature, double alpha)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        Validate(temperature, alpha);
        (_teacher, _temperature, _alpha) = (teacher, temperature, alpha);
    }

    public Tensor Of(Tensor samples, Tensor logits, Tensor labels)
    {
        Tensor teacherLogits;
        using (no_grad())
        {
            _teacher.Network.eval();
            teacherLogits = _teacher.Network.call(samples);
        }
        return Loss(logits, teacherLogits, labels, _temperature, _alpha);
    }

    /// <summary>The distillation loss of <paramref name="studentLogits"/> against <paramref name="teacherLogits"/> and the labels, averaged over the batch.</summary>
    public static Tensor Loss(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha)
    {
        Validate(temperature, alpha);
        var teacherLog = log_softmax(teacherLogits / temperature, 1);
        var studentLog = log_softmax(studentLogits / temperature, 1);
        var divergence = (teacherLog.exp() * (teacherLog - studentLog)).sum(1).mean();
        return divergence * (alpha * temperature * temperature) + cross_entropy(studentLogits, labels) * (1 - alpha);
    }

    private static void Validate(double temperature, double alpha)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the distillation temperature must be positive and finite");
        if (!(alpha >= 0 && alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the distillation weight alpha must be in [0, 1]");
    }
}
