using PoolCompress.Learning;
using static TorchSharp.torch;

namespace PoolCompress.Onnx;

/// <summary>An exported model's accuracy, macro-F1 and the rest, as ONNX Runtime computes its logits on a dataset.</summary>
public static class OnnxEvaluation
{
    public static EvaluationResult Evaluate(OnnxModel model, Dataset data, int batchSize = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluator.Evaluate(batch =>
        {
            int samples = checked((int)batch.shape[0]);
            using var contiguous = batch.contiguous();
            float[] logits = model.Run(contiguous.data<float>().ToArray(), samples);
            return tensor(logits, [samples, logits.Length / samples]);
        }, data, batchSize);
    }
}
