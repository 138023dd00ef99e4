using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The links an update passes between training and upload, as NVFlare's task-result filters and Flower's client
/// mods: the client's <see cref="IUpdateFilter"/>s in order (a simulated attack, for one), then the encoder, which
/// carries the client's error-feedback state. The encoder and the update it produced are kept as one
/// (<see cref="IClientStateStore.Keep"/>), so the update can be sent again if the coordinator loses it. Under pruning
/// during training the update is encoded over the live coordinates of the model it was trained from.
/// </summary>
internal sealed class UpdateChain(
    string clientId, IReadOnlyList<IUpdateFilter> filters, IClientStateStore state, ModelLayout layout, CodecSpec codec, GradualPruning? pruning = null,
    UpdateEncoderOptions? encoderOptions = null)
{
    public UnacknowledgedUpdate Pass(FitResult fit, ReadOnlySpan<float> global, FitTask task, Dataset data, int sampleCount)
    {
        Filter(fit, global, task);
        var encoder = state.Restore(clientId, () => new UpdateEncoder(layout, codec, encoderOptions));
        var live = pruning?.LiveOf(layout, global, task.Header.ModelVersion);
        byte[] encoded = encoder.Encode(fit.Update, unchecked((ulong)task.Seed), live);
        var header = HeaderFor(fit, task, sampleCount);
        header.PayloadBytes = encoded.Length;
        header.PeakMemoryBytes = ClientPeakMemory.Of(fit.TrainingGrowthBytes, data, layout.TotalLength, encoder, encoded.Length);
        var sent = new UnacknowledgedUpdate(header, encoded);
        state.Keep(clientId, encoder, sent);
        return sent;
    }

    /// <summary>The filters alone, for an update that a secure round encodes and masks instead of the encoder.</summary>
    public void Filter(FitResult fit, ReadOnlySpan<float> global, FitTask task)
    {
        foreach (var filter in filters) filter.Apply(fit.Update, global, task.Header.Round);
    }

    /// <summary>The update's header but for its payload's size and what encoding it held in memory.</summary>
    public UpdateHeader HeaderFor(FitResult fit, FitTask task, int sampleCount) => new()
    {
        ClientId = clientId,
        Round = task.Header.Round,
        BaseModelVersion = task.Header.ModelVersion,
        SampleCount = sampleCount,
        TrainLoss = (float)fit.Training.MeanLoss,
        TrainSeconds = fit.Training.Seconds,
        PeakMemoryBytes = fit.TrainingGrowthBytes,
        ProcessPeakMemoryBytes = ClientPeakMemory.OfProcess(),
        LayoutFingerprint = layout.Fingerprint,
    };
}
