using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>A dataset as two tensors, samples N x shape (float32) and labels N (int64), from which batches are sliced.</summary>
internal sealed class DatasetTensors : IDisposable
{
    public DatasetTensors(Dataset data)
    {
        Images = tensor(data.Images, [data.Count, .. data.Shape.Select(size => (long)size)]);
        Labels = tensor(data.Labels.Select(label => (long)label).ToArray());
    }

    public Tensor Images { get; }
    public Tensor Labels { get; }

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
