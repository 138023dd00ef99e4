using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>A dataset as two tensors, images N x 1 x H x W (float32) and labels N (int64), from which batches are sliced.</summary>
internal sealed class DatasetTensors : IDisposable
{
    public DatasetTensors(Dataset data)
    {
        Images = tensor(data.Images, [data.Count, 1, data.Height, data.Width]);
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
