using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
        if (_options.PriorUpdates < 0)
            throw new ArgumentOutOfRangeException(nameof(options), _options.PriorUpdates, "PriorUpdates must not be negative");
        _updates = _options.PriorUpdates;
        if (!(_options.Momentum is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(options), _options.Momentum, "Momentum must be in [0, 1)");
        if (_options.WireVersion is not (WireHeader.FirstVersion or WireHeader.Version))
            throw new ArgumentOutOfRangeException(nameof(options), _options.WireVersion, $"WireVersion must be {WireHeader.FirstVersion} or {WireHeader.Version}");
        // The spec's momentum is what a federation's clients get; options set it for callers that build encoders themselves.
        _momentum = _options.Momentum > 0 ? _options.Momentum : spec.GlobalTopKSchedule.Momentum;
        var wholeTensors = spec.WholeCoder is not null ? TensorEncoding.WholeCoder
            : spec.IsLossless ? TensorEncoding.DenseFloat32 : TensorEncoding.DenseFloat16;
        _encodings = layout.Select(t => !spec.SendsNothingWhole && !t.IsCodedWeight(_options.DenseBelowElements)
            ? wholeTensors : TensorEncoding.CodecChain).ToArray();

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

    /// <summary>Bytes of the arrays this encoder keeps from one update to the next, state and scratch: what holding it costs.</summary>
    public long MemoryBytes => sizeof(float) * ((long)_residual.Length + _velocity.Length + _corrected.Length + _reconstruction.Length
        + _codedValues.Length + _stageStates.Sum(s => (long)(s.WarmStart?.Length ?? 0)));

    /// <summary>
    /// Writes what this encoder carries from one update to the next (residual, velocity, stages' warm starts) as
    /// raw float32, so that <see cref="RestoreState"/> on an encoder of the same layout and codec brings it back
    /// bit for bit. The scratch buffers are not state: every <see cref="Encode"/> overwrites them.
    /// </summary>
    public void SaveState(Stream destination)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(StateMagic);
        WriteFloats(writer, _residual);
        WriteFloats(writer, _velocity);
        foreach (var state in _stageStates) WriteFloats(writer, state.WarmStart);
    }

    /// <summary>Replaces this encoder's state with one written by <see cref="SaveState"/>.</summary>
    /// <exception cref="InvalidDataException">The stream does not hold state for this layout and codec.</exception>
    public void RestoreState(Stream source)
    {
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadInt32() != StateMagic) throw new InvalidDataException("not an update encoder's saved state");
            ReadFloatsInto(reader, _residual, "residual");
            ReadFloatsInto(reader, _velocity, "velocity");
            for (var i = 0; i < _stageStates.Length; i++)
            {
                var length = reader.ReadInt32();
                if (length < 0) { _stageStates[i].WarmStart = null; continue; }
                if (length > _layout[i].Length) throw new InvalidDataException($"saved warm start of {_layout[i].Name} has {length} values, more than the tensor");
                _stageStates[i].WarmStart = new float[length];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_stageStates[i].WarmStart.AsSpan()));
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("saved update encoder state ends early");
        }
    }

    private const int StateMagic = 0x31_54_53_45; // "EST1"

    private static void WriteFloats(BinaryWriter writer, float[]? values)
    {
        writer.Write(values?.Length ?? -1);
        if (values is null) return;
        writer.Flush();
        writer.BaseStream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void ReadFloatsInto(BinaryReader reader, float[] destination, string what)
    {
        var length = reader.ReadInt32();
        if (length != destination.Length)
            throw new InvalidDataException($"saved {what} has {length} values but this encoder keeps {destination.Length}");
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(destination.AsSpan()));
    }

    /// <summary>Encodes <paramref name="update"/>; with <paramref name="live"/> (pruning during training), each tensor
    /// over its live coordinates alone, and what the pruned ones hold, now or in the kept residual, is dropped for good.</summary>
    public byte[] Encode(ReadOnlySpan<float> update, ulong seed = 0, LiveCoordinates? live = null)
    {
        if (update.Length != _layout.TotalLength)
            throw new ArgumentException($"update has {update.Length} elements but the layout has {_layout.TotalLength}", nameof(update));

        var toSend = _spec.IsLossless ? update : Correct(update, live);
        var reconstruction = _spec.IsLossless ? [] : _reconstruction.AsSpan();
        var updateThreshold = GlobalThreshold(toSend, live);
        using var writer = new PayloadWriter(WireHeader.SizeOf(_layout, _spec.Text, _options.WireVersion) + EstimateBodyBytes());
        var bodyLengthPositions = WireHeader.Write(writer, _layout, _spec.Text, seed, _options.WireVersion, i => _encodings[i]);
        for (var i = 0; i < _layout.Count; i++)
        {
            var tensor = _layout[i];
            var offset = _layout.OffsetOf(i);
            var start = writer.Length;
            var values = toSend.Slice(offset, tensor.Length);
            // Only a tensor with pruned coordinates goes through a buffer of its live values; the rest code in place.
            var compacted = live is not null && live.IsCompacted(i);
            var codedLength = compacted ? live!.LengthOf(i) : tensor.Length;
            using var coded = new PooledBuffer<float>(compacted ? codedLength : 0);
            using var codedReconstruction = new PooledBuffer<float>(compacted && !_spec.IsLossless ? codedLength : 0);
            if (compacted) live!.Gather(i, values, coded.Span);
            var codedValues = compacted ? coded.Span : values;
            if (_spec.IsLossless)
            {
                writer.WriteSingles(codedValues);
            }
            else
            {
                var context = StageContext.ForCodedTensor(tensor, codedLength, seed, i) with { UpdateThreshold = updateThreshold, State = _stageStates[i] };
                var stage = _encodings[i] switch
                {
                    TensorEncoding.DenseFloat16 => Float16Coder.Instance,
                    TensorEncoding.WholeCoder => _spec.WholeCoder!,
                    _ => _spec.Chain,
                };
                var tensorReconstruction = reconstruction.Slice(offset, tensor.Length);
                stage.Encode(codedValues, context, writer, compacted ? codedReconstruction.Span : tensorReconstruction);
                if (compacted) live!.Scatter(i, codedReconstruction.Span, tensorReconstruction);
            }
            WireHeader.PatchBodyLength(writer, bodyLengthPositions[i], writer.Length - start);
        }
        WireHeader.AppendChecksum(writer);
        if (!_spec.IsLossless) KeepWhatWasDropped();
        _updates++;
        return writer.ToArray();
    }

    private static void Gather(LiveCoordinates? live, int tensorIndex, ReadOnlySpan<float> values, Span<float> coded)
    {
        if (live is null) values.CopyTo(coded);
        else live.Gather(tensorIndex, values, coded);
    }

    /// <summary>Adds the kept residual (and, with momentum, accumulates velocity as in DGC) to get what should be sent;
    /// pruned coordinates can never be sent, so they keep nothing.</summary>
    private ReadOnlySpan<float> Correct(ReadOnlySpan<float> update, LiveCoordinates? live)
    {
        ReadOnlySpan<float> step = update;
        if (_velocity.Length != 0)
        {
            TensorPrimitives.MultiplyAdd(_velocity, (float)_momentum, update, _velocity);
            step = _velocity;
        }
        if (_residual.Length != 0) TensorPrimitives.Add(_residual, step, _corrected);
        else step.CopyTo(_corrected);
        live?.ZeroPruned(_corrected);
        live?.ZeroPruned(_velocity);
        return _corrected;
    }

    /// <summary>For <c>topk:F:global</c>: the k-th largest magnitude over every tensor the chain codes, so that each
    /// tensor keeps its elements at or above it and the update as a whole keeps k.</summary>
    private float GlobalThreshold(ReadOnlySpan<float> toSend, LiveCoordinates? live)
    {
        if (_spec.GlobalTopKFraction is not { } fraction || _codedValues.Length == 0) return 0;
        var filled = 0;
        for (var i = 0; i < _layout.Count; i++)
        {
            if (_encodings[i] != TensorEncoding.CodecChain) continue;
            Gather(live, i, toSend.Slice(_layout.OffsetOf(i), _layout[i].Length), _codedValues.AsSpan(filled));
            filled += live?.LengthOf(i) ?? _layout[i].Length;
        }
        if (filled == 0) return 0;
        double density = _spec.GlobalTopKSchedule.Density(fraction, _updates);
        return MagnitudeSelector.KthLargestMagnitude(_codedValues.AsSpan(0, filled), Sparsifier.CountOf(density, filled));
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
