using System.Numerics.Tensors;
using PoolCompress.Compression.Codecs;
using PoolCompress.Compression.Coding;
using PoolCompress.Compression.Wire;

namespace PoolCompress.Compression;

/// <summary>Encodes one client's successive model updates, keeping the error-feedback state between calls.
/// Not thread-safe: one encoder per client stream.</summary>
public sealed class UpdateEncoder
{
    private readonly ModelLayout _layout;
    private readonly CodecSpec _spec;
    private readonly UpdateEncoderOptions _options;
    private readonly TensorEncoding[] _encodings;
    private readonly float[] _residual;
    private readonly float[] _velocity;
    private readonly float[] _corrected;
    private readonly float[] _reconstruction;
    private readonly float[] _codedValues;
    private readonly StageState[] _stageStates;
    private readonly double _momentum;
    private long _updates;

    public UpdateEncoder(ModelLayout layout, CodecSpec spec, UpdateEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(spec);
        _layout = layout;
        _spec = spec;
        _options = options ?? new UpdateEncoderOptions();
        if (!(_options.Momentum is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(options), _options.Momentum, "Momentum must be in [0, 1)");
        // The spec's momentum is what a federation's clients get; options set it for callers that build encoders themselves.
        _momentum = _options.Momentum > 0 ? _options.Momentum : spec.GlobalTopKSchedule.Momentum;
        var wholeTensors = spec.IsLossless ? TensorEncoding.DenseFloat32 : TensorEncoding.DenseFloat16;
        _encodings = layout.Select(t => t.Shape.Length <= 1 || t.Length < _options.DenseBelowElements ? wholeTensors : TensorEncoding.CodecChain).ToArray();

        // A lossless codec drops nothing, so there is no state to keep and the update is encoded straight from the caller's span.
        var keepsState = !spec.IsLossless;
        _residual = keepsState && _options.ErrorFeedback ? new float[layout.TotalLength] : [];
        _velocity = keepsState && _momentum > 0 ? new float[layout.TotalLength] : [];
        _corrected = keepsState ? new float[layout.TotalLength] : [];
        _reconstruction = keepsState ? new float[layout.TotalLength] : [];
        _stageStates = [.. layout.Select(_ => new StageState())];
        _codedValues = spec.GlobalTopKFraction is null ? [] : new float[Enumerable.Range(0, layout.Count).Where(i => _encodings[i] == TensorEncoding.CodecChain).Sum(i => layout[i].Length)];
    }

    /// <summary>What the codec has dropped so far and will add to the next update; empty when error feedback is off.</summary>
    public ReadOnlySpan<float> Residual => _residual;

    public byte[] Encode(ReadOnlySpan<float> update, ulong seed = 0)
    {
        if (update.Length != _layout.TotalLength)
            throw new ArgumentException($"update has {update.Length} elements but the layout has {_layout.TotalLength}", nameof(update));

        var toSend = _spec.IsLossless ? update : Correct(update);
        var reconstruction = _spec.IsLossless ? [] : _reconstruction.AsSpan();
        var updateThreshold = GlobalThreshold(toSend);
        using var writer = new PayloadWriter(WireHeader.SizeOf(_layout, _spec.Text) + EstimateBodyBytes());
        var bodyLengthPositions = WireHeader.Write(writer, _layout, _spec.Text, seed, i => _encodings[i]);
        for (var i = 0; i < _layout.Count; i++)
        {
            var tensor = _layout[i];
            var offset = _layout.OffsetOf(i);
            var start = writer.Length;
            var values = toSend.Slice(offset, tensor.Length);
            if (_spec.IsLossless)
            {
                writer.WriteSingles(values);
            }
            else
            {
                var context = StageContext.ForTensor(tensor, seed, i) with { UpdateThreshold = updateThreshold, State = _stageStates[i] };
                var stage = _encodings[i] == TensorEncoding.DenseFloat16 ? Float16Coder.Instance : _spec.Chain;
                stage.Encode(values, context, writer, reconstruction.Slice(offset, tensor.Length));
            }
            WireHeader.PatchBodyLength(writer, bodyLengthPositions[i], writer.Length - start);
        }
        WireHeader.AppendChecksum(writer);
        if (!_spec.IsLossless) KeepWhatWasDropped();
        _updates++;
        return writer.ToArray();
    }

    /// <summary>Adds the kept residual (and, with momentum, accumulates velocity as in DGC) to get what should be sent.</summary>
    private ReadOnlySpan<float> Correct(ReadOnlySpan<float> update)
    {
        ReadOnlySpan<float> step = update;
        if (_velocity.Length != 0)
        {
            TensorPrimitives.MultiplyAdd(_velocity, (float)_momentum, update, _velocity);
            step = _velocity;
        }
        if (_residual.Length != 0) TensorPrimitives.Add(_residual, step, _corrected);
        else step.CopyTo(_corrected);
        return _corrected;
    }

    /// <summary>For <c>topk:F:global</c>: the k-th largest magnitude over every tensor the chain codes, so that each
    /// tensor keeps its elements at or above it and the update as a whole keeps k.</summary>
    private float GlobalThreshold(ReadOnlySpan<float> toSend)
    {
        if (_spec.GlobalTopKFraction is not { } fraction || _codedValues.Length == 0) return 0;
        var filled = 0;
        for (var i = 0; i < _layout.Count; i++)
        {
            if (_encodings[i] != TensorEncoding.CodecChain) continue;
            toSend.Slice(_layout.OffsetOf(i), _layout[i].Length).CopyTo(_codedValues.AsSpan(filled));
            filled += _layout[i].Length;
        }
        double density = _spec.GlobalTopKSchedule.Density(fraction, _updates);
        return MagnitudeSelector.KthLargestMagnitude(_codedValues, Sparsifier.CountOf(density, _codedValues.Length));
    }

    private void KeepWhatWasDropped()
    {
        if (_residual.Length != 0) TensorPrimitives.Subtract(_corrected, _reconstruction, _residual);
        if (_velocity.Length == 0) return;

        // DGC momentum factor masking: velocity that was just sent must not be sent again through momentum.
        for (var i = 0; i < _velocity.Length; i++)
            if (_reconstruction[i] != 0) _velocity[i] = 0;
    }

    // Only sizes the first buffer: compressed chains write far less than float32, and the writer grows if needed.
    private int EstimateBodyBytes() => _spec.IsLossless ? _layout.TotalLength * sizeof(float) : 4096;
}
