using Google.Protobuf;
using Grpc.Core;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Reads an update stream: its UpdateHeader, which must come first and within the upload grace and state the
/// federation's layout; then its payload's chunks, reassembled and checksummed, decoded against that layout, every
/// value finite, within the time the announced size allows (the grace, then a minimum rate). Under pruning during
/// training the payload is decoded over the live coordinates of the model the update was trained from, so a pruned
/// coordinate cannot be sent: no position of the payload names it. Under federated distillation an upload is soft labels
/// (<paramref name="softLabelClasses"/> probabilities a row), each checked to be one (<see cref="KnowledgeSharing.Problem"/>).
/// </summary>
public sealed class UpdateReceiver(ModelLayout layout, string modelName, CoordinatorOptions options, PrunedVersions? pruned = null, int? softLabelClasses = null)
{
    public static UpdateReceiver For(CoordinatorModel model, CoordinatorOptions options, PrunedVersions pruned) =>
        new(model.Layout, model.Name, options, pruned, model.SoftLabelClasses);

    /// <summary>The stream's UpdateHeader; refuses the call when none comes first, in time, stating the layout.</summary>
    /// <param name="deadline">Cancelled when the grace is over or the call ends.</param>
    public async Task<UpdateHeader> ReadHeader(IAsyncStreamReader<UpdateMessage> stream, CancellationToken deadline, CancellationToken callCancelled)
    {
        bool started;
        try
        {
            started = await NextMessage(stream, deadline);
        }
        catch (OperationCanceledException) when (!callCancelled.IsCancellationRequested)
        {
            throw Refusals.Fail(StatusCode.ResourceExhausted, $"no UpdateHeader arrived within {options.UploadGrace.TotalSeconds:F0} s");
        }
        catch (InvalidDataException e)
        {
            throw Refusals.Fail(StatusCode.InvalidArgument, e.Message);
        }
        if (!started || stream.Current.PartCase != UpdateMessage.PartOneofCase.Header)
            throw Refusals.Fail(StatusCode.InvalidArgument, "an update stream must start with an UpdateHeader");
        var header = stream.Current.Header;
        LayoutFingerprints.Require(header.LayoutFingerprint, header.ClientId, layout, modelName);
        return header;
    }

    /// <summary>How long the UpdateHeader may take to arrive.</summary>
    public TimeSpan Grace => options.UploadGrace;

    /// <summary>How long an upload of the announced size may take: the grace, then the minimum rate.</summary>
    public TimeSpan UploadTime(long announcedBytes)
    {
        long bytes = Math.Clamp(announcedBytes, 0, layout.MaxPayloadBytes);
        return options.UploadGrace + TimeSpan.FromSeconds((double)bytes / options.MinUploadBytesPerSecond);
    }

    /// <summary>Why an upload that took longer than <paramref name="allowed"/> is refused.</summary>
    public string TooSlow(TimeSpan allowed) =>
        $"the upload did not arrive within {allowed.TotalSeconds:F0} s ({options.UploadGrace.TotalSeconds:F0} s, then at least {options.MinUploadBytesPerSecond} bytes/s)";

    /// <summary>The decoded update the chunks after <paramref name="header"/> carry.</summary>
    /// <exception cref="InvalidDataException">The chunks, their checksum or the values are malformed.</exception>
    /// <exception cref="WireFormatException">The payload is not a valid update for the layout.</exception>
    public async Task<float[]> ReadUpdate(UpdateHeader header, IAsyncStreamReader<UpdateMessage> stream, CancellationToken deadline)
    {
        var payload = await ReadPayload(header, stream, layout.MaxPayloadBytes, deadline);
        var update = new float[layout.TotalLength];
        var live = pruned is null ? null : await pruned.LiveOfAsync(header.BaseModelVersion);
        UpdateDecoder.Decode(payload, layout, update, live);
        int bad = Array.FindIndex(update, v => !float.IsFinite(v));
        if (bad >= 0) throw new InvalidDataException($"update value {bad} is {update[bad]}; updates must be finite");
        if (softLabelClasses is { } classes && KnowledgeSharing.Problem(update, classes) is { } problem) throw new InvalidDataException(problem);
        return update;
    }

    /// <summary>The payload the chunks after <paramref name="header"/> carry, at most <paramref name="maxBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The chunks, their sizes or their checksums are malformed.</exception>
    public async Task<byte[]> ReadPayload(UpdateHeader header, IAsyncStreamReader<UpdateMessage> stream, long maxBytes, CancellationToken deadline)
    {
        var assembler = new PayloadAssembler(header.PayloadBytes, maxBytes);
        while (!assembler.IsComplete && await NextMessage(stream, deadline))
        {
            if (stream.Current.PartCase != UpdateMessage.PartOneofCase.Chunk)
                throw new InvalidDataException("only PayloadChunks may follow the UpdateHeader");
            assembler.Append(stream.Current.Chunk);
        }
        if (assembler.IsComplete && await NextMessage(stream, deadline))
            throw new InvalidDataException($"more data followed the announced {header.PayloadBytes} payload bytes");
        return assembler.GetPayload();
    }

    /// <summary>
    /// The stream's next message. Bytes that are not one (a protobuf that does not parse, a length prefix beyond what
    /// gRPC can read) make a malformed update, not a failure of the coordinator.
    /// </summary>
    private static async Task<bool> NextMessage(IAsyncStreamReader<UpdateMessage> stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNext(cancellationToken);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"the stream holds bytes that are not an UpdateMessage: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidDataException($"the stream's gRPC framing is invalid: {e.Message}", e);
        }
    }
}
