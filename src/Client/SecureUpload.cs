using Grpc.Core;
using Microsoft.Extensions.Logging;
using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Client;

/// <summary>
/// A client's side of secure aggregation: it quantizes its update at the round's support against its own residual
/// (error feedback, kept between rounds) and, instead of pushing it, runs the four stages with
/// <see cref="SecureClientRound"/>: advertise, share, upload masked, reveal. What a failed round carried is lost
/// with it, as the coordinator cannot resend a masked word under fresh keys.
/// </summary>
internal sealed class SecureUpload(SecureLink link, int dimension, ILogger logger)
{
    private SecureUpdateEncoder? _encoder;
    private SecureRoundSetup? _setup;

    /// <summary>
    /// The update's words at the support, packed but not yet masked, with the header they will go up under; null,
    /// and nothing taken from the residual, when the task's plan does not hold together.
    /// </summary>
    public UnacknowledgedUpdate? Prepare(float[] update, FitTask task, UpdateHeader header)
    {
        try
        {
            _setup = SecureRoundSetup.Read(task.Header.Secure, header.ClientId, dimension);
        }
        catch (Exception e) when (e is SecureAggregationException or ArgumentException)
        {
            logger.LogWarning("{Client}: the secure plan of round {Round} is refused: {Reason}", header.ClientId, header.Round, e.Message);
            return null;
        }
        _encoder ??= new SecureUpdateEncoder(dimension);
        var words = _encoder.Encode(update, _setup.Support, _setup.Quantizer, _setup.Plan.Space, new Random(unchecked((int)task.Seed)));
        var packed = MaskedWords.Pack(words, _setup.Plan.Space);
        header.PayloadBytes = packed.Length;
        return new UnacknowledgedUpdate(header, packed);
    }

    /// <summary>Runs the secure stages for the update <see cref="Prepare"/> made last; false when the round refused the client or failed.</summary>
    public async Task<bool> SendAsync(UnacknowledgedUpdate prepared, CancellationToken cancellationToken)
    {
        var (header, setup) = (prepared.Header, _setup!);
        try
        {
            using var round = new SecureClientRound(setup.Plan, setup.Point);
            var sealedShares = round.SealShares(await link.AdvertiseAsync(header, round.Advertise(), cancellationToken));
            var (sealedForMe, sharers) = await link.ShareKeysAsync(header, sealedShares, cancellationToken);
            round.OpenShares(sealedForMe);
            var words = MaskedWords.Unpack(prepared.Payload, setup.Support.Length, setup.Plan.Space);
            round.Mask(words, sharers);
            var (survivors, dropped) = await link.UploadMaskedAsync(header, MaskedWords.Pack(words, setup.Plan.Space), cancellationToken);
            await link.RevealAsync(header, round.Reveal(survivors, dropped), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is SecureAggregationException || e is RpcException { StatusCode: not StatusCode.Cancelled })
        {
            logger.LogWarning("{Client}: secure round {Round} failed: {Reason}", header.ClientId, header.Round, e is RpcException r ? r.Status.Detail : e.Message);
            return false;
        }
    }
}
