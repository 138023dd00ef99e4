using Google.Protobuf;
using PoolCompress.Coordinator.SecureRounds;
using PoolCompress.SecureAggregation;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// The secure stages' messages read into what the secure round grain takes, and its views written back. Every count,
/// size and point a client sends is checked against its round before it goes further; a bad one is an
/// <see cref="InvalidDataException"/> naming the field.
/// </summary>
internal static class SecureMessages
{
    public static AdvertisedKeys Keys(SecureAdvertisement request)
    {
        RequireBytes(request.MaskPublicKey, RoundKeys.PublicKeyBytes, "mask_public_key");
        RequireBytes(request.ChannelPublicKey, RoundKeys.PublicKeyBytes, "channel_public_key");
        RequireBytes(request.SelfSeedCommitment, Advertisement.CommitmentBytes, "self_seed_commitment");
        return new(request.MaskPublicKey.ToByteArray(), request.ChannelPublicKey.ToByteArray(), request.SelfSeedCommitment.ToByteArray());
    }

    public static Dictionary<int, byte[]> Envelopes(SecureShares request, SecureRoundTicket ticket)
    {
        RequireParallel(request.Recipients.Count, request.Envelopes.Count, "recipients", "envelopes", ticket.Members.Length - 1);
        RequirePoints(request.Recipients, ticket, "recipients");
        foreach (var envelope in request.Envelopes) RequireBytes(envelope, ShareEnvelope.SealedBytes, "envelopes");
        return request.Recipients.Zip(request.Envelopes).ToDictionary(e => e.First, e => e.Second.ToByteArray());
    }

    public static RevealedShareView[] Shares(RevealedShares request, SecureRoundTicket ticket)
    {
        if (request.Shares.Count > ticket.Members.Length - 1)
            throw new InvalidDataException($"shares: at most {ticket.Members.Length - 1} (one per neighbour), got {request.Shares.Count}");
        RequirePoints(request.Shares.Select(s => s.Owner).ToList(), ticket, "owner");
        foreach (var share in request.Shares) RequireBytes(share.Value, ShamirSharing.ValueBytes, "value");
        return request.Shares.Select(s => new RevealedShareView(s.Owner, s.MaskKey, s.Value.ToByteArray())).ToArray();
    }

    /// <summary>The packed size a masked upload must announce: the round's support in words of its mask width.</summary>
    public static void RequireUploadSize(UpdateHeader header, SecureRoundTicket ticket)
    {
        long expected = MaskedWords.PackedBytes(ticket.SupportCount, ticket.Space);
        if (header.PayloadBytes != expected)
            throw new InvalidDataException($"payload_bytes: a masked upload of this round has {expected} bytes, not {header.PayloadBytes}");
    }

    public static SecureRoster Roster(SecureRoundView view)
    {
        var roster = new SecureRoster();
        foreach (var (point, keys) in view.Advertised.OrderBy(a => a.Key))
        {
            roster.Points.Add(point);
            roster.MaskPublicKeys.Add(ByteString.CopyFrom(keys.MaskPublicKey));
            roster.ChannelPublicKeys.Add(ByteString.CopyFrom(keys.ChannelPublicKey));
            roster.Commitments.Add(ByteString.CopyFrom(keys.Commitment));
        }
        return roster;
    }

    public static SecureSharesForYou SharesForYou(SecureRoundView view)
    {
        var reply = new SecureSharesForYou { Sharers = { view.Sharers.Order() } };
        foreach (var (sender, envelope) in view.SealedForYou.OrderBy(s => s.Key))
        {
            reply.Senders.Add(sender);
            reply.Envelopes.Add(ByteString.CopyFrom(envelope));
        }
        return reply;
    }

    public static SecureOutcome Outcome(SecureRoundView view) => new() { Survivors = { view.Survivors.Order() }, Dropped = { view.Dropped.Order() } };

    private static void RequireParallel(int count, int otherCount, string field, string otherField, int max)
    {
        if (count != otherCount) throw new InvalidDataException($"{field} and {otherField} must be as many, got {count} and {otherCount}");
        if (count > max) throw new InvalidDataException($"{field}: at most {max} (one per neighbour), got {count}");
    }

    private static void RequirePoints(IReadOnlyCollection<int> points, SecureRoundTicket ticket, string field)
    {
        if (points.Any(p => p < 1 || p > ticket.Members.Length))
            throw new InvalidDataException($"{field}: a point is 1 to {ticket.Members.Length} in this round");
        if (points.Distinct().Count() != points.Count) throw new InvalidDataException($"{field}: a point may appear once");
    }

    private static void RequireBytes(ByteString value, int bytes, string field)
    {
        if (value.Length != bytes) throw new InvalidDataException($"{field}: {bytes} bytes each, got {value.Length}");
    }
}
