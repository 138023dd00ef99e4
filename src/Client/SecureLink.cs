using Google.Protobuf;
using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Client;

/// <summary>
/// The four secure aggregation calls, each answered when its stage closes on the coordinator, with the core's types
/// in and out. A refusal or a failed round comes back as an <see cref="Grpc.Core.RpcException"/>.
/// </summary>
internal sealed class SecureLink(CoordinatorLink link)
{
    public async Task<Dictionary<int, Advertisement>> AdvertiseAsync(UpdateHeader header, Advertisement advertisement, CancellationToken cancellationToken)
    {
        var roster = await link.Rpc.AdvertiseAsync(new SecureAdvertisement
        {
            ClientId = header.ClientId, Round = header.Round,
            MaskPublicKey = ByteString.CopyFrom(advertisement.MaskPublicKey),
            ChannelPublicKey = ByteString.CopyFrom(advertisement.ChannelPublicKey),
            SelfSeedCommitment = ByteString.CopyFrom(advertisement.SelfSeedCommitment),
        }, link.Headers, cancellationToken: cancellationToken);
        return roster.Points.Select((point, i) => (point, Keys: new Advertisement(
            roster.MaskPublicKeys[i].ToByteArray(), roster.ChannelPublicKeys[i].ToByteArray(), roster.Commitments[i].ToByteArray())))
            .ToDictionary(a => a.point, a => a.Keys);
    }

    public async Task<(Dictionary<int, byte[]> SealedForMe, int[] Sharers)> ShareKeysAsync(
        UpdateHeader header, IReadOnlyDictionary<int, byte[]> sealedByRecipient, CancellationToken cancellationToken)
    {
        var request = new SecureShares { ClientId = header.ClientId, Round = header.Round };
        foreach (var (recipient, envelope) in sealedByRecipient)
        {
            request.Recipients.Add(recipient);
            request.Envelopes.Add(ByteString.CopyFrom(envelope));
        }
        var reply = await link.Rpc.ShareKeysAsync(request, link.Headers, cancellationToken: cancellationToken);
        return (reply.Senders.Zip(reply.Envelopes).ToDictionary(s => s.First, s => s.Second.ToByteArray()), reply.Sharers.ToArray());
    }

    public async Task<(int[] Survivors, int[] Dropped)> UploadMaskedAsync(UpdateHeader header, byte[] packed, CancellationToken cancellationToken)
    {
        using var call = link.Rpc.UploadMasked(link.Headers, cancellationToken: cancellationToken);
        await CoordinatorLink.SendAsync(call.RequestStream, header, packed, cancellationToken);
        var outcome = await call.ResponseAsync;
        return (outcome.Survivors.ToArray(), outcome.Dropped.ToArray());
    }

    public async Task RevealAsync(UpdateHeader header, IEnumerable<SecureAggregation.RevealedShare> shares, CancellationToken cancellationToken)
    {
        var request = new RevealedShares { ClientId = header.ClientId, Round = header.Round };
        request.Shares.Add(shares.Select(s => new Protos.V1.RevealedShare { Owner = s.Owner, MaskKey = s.Kind == ShareKind.MaskKey, Value = ByteString.CopyFrom(s.Value) }));
        await link.Rpc.RevealAsync(request, link.Headers, cancellationToken: cancellationToken);
    }
}
