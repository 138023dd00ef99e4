using System.Security.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// One client's side of a secure round, stage by stage: advertise keys, seal shares for its neighbours, open the
/// shares it received, mask its quantized update, and reveal, for each neighbour, the share the coordinator may have:
/// the self-seed share of a survivor or the mask-key share of a dropped client, never both.
/// </summary>
public sealed class SecureClientRound(RoundPlan plan, int point) : IDisposable
{
    private readonly RoundKeys _keys = RoundKeys.Create();
    private readonly byte[] _selfSeed = RandomNumberGenerator.GetBytes(SeedStream.SeedBytes);
    private readonly Dictionary<int, SharePair> _held = [];
    private IReadOnlyDictionary<int, Advertisement> _advertised = new Dictionary<int, Advertisement>();
    private HashSet<int> _maskedWith = [];

    public Advertisement Advertise() =>
        new(_keys.MaskPublicKey, _keys.ChannelPublicKey, Advertisement.Commit(_selfSeed, plan.Context));

    /// <summary>Stage 2: shares for the neighbours that advertised, each sealed to its recipient; the advertised keys are kept for the later stages.</summary>
    public IReadOnlyDictionary<int, byte[]> SealShares(IReadOnlyDictionary<int, Advertisement> advertised)
    {
        _advertised = advertised;
        var recipients = plan.Graph.NeighboursOf(point).Where(advertised.ContainsKey).ToArray();
        if (recipients.Length < plan.Threshold)
            throw new SecureAggregationException($"{recipients.Length} neighbours advertised keys, fewer than the threshold {plan.Threshold}");
        var selfShares = ShamirSharing.Split(_selfSeed, plan.Threshold, recipients);
        var keyShares = ShamirSharing.Split(_keys.ExportMaskPrivateKey(), plan.Threshold, recipients);
        return recipients.Select((r, i) => (r, Sealed: Seal(r, new SharePair(selfShares[i].Value, keyShares[i].Value))))
            .ToDictionary(s => s.r, s => s.Sealed);
    }

    /// <summary>Stage 2, receiving: keeps the shares of the neighbours whose envelopes open.</summary>
    public void OpenShares(IReadOnlyDictionary<int, byte[]> sealedBySender)
    {
        foreach (var (sender, sealedBytes) in sealedBySender)
        {
            if (!plan.Graph.ArePaired(point, sender) || !_advertised.TryGetValue(sender, out var keys))
                throw new SecureAggregationException($"shares from point {sender}, which is not an advertised neighbour");
            var channel = PairSecrets.ChannelKey(_keys.ChannelKey, keys.ChannelPublicKey, plan.Context);
            _held[sender] = ShareEnvelope.Open(channel, plan.Context, sender, point, sealedBytes);
        }
    }

    /// <summary>Stage 3: adds the self mask and a pair mask for every neighbour that shared, in place.</summary>
    public void Mask(Span<uint> words, IReadOnlyCollection<int> sharers)
    {
        _maskedWith = [.. sharers];
        MaskExpansion.Add(words, _selfSeed, plan.Space);
        foreach (var peer in plan.Graph.NeighboursOf(point).Where(sharers.Contains))
        {
            var seed = PairSecrets.MaskSeed(_keys.MaskKey, _advertised[peer].MaskPublicKey, plan.Context);
            MaskExpansion.AddPairMask(words, seed, plan.Space, point, peer);
        }
    }

    /// <summary>Stage 4: the one share the coordinator may have of each neighbour whose shares this client holds.</summary>
    /// <remarks>The lists must split the clients this one masked with, itself among the survivors: any other story is refused.</remarks>
    public IReadOnlyList<RevealedShare> Reveal(IReadOnlyCollection<int> survivors, IReadOnlyCollection<int> dropped)
    {
        if (survivors.Intersect(dropped).Any())
            throw new SecureAggregationException("a client listed both as survivor and as dropped");
        if (!survivors.Contains(point) || !_maskedWith.SetEquals(survivors.Concat(dropped)))
            throw new SecureAggregationException("the survivors and the dropped are not the clients this one masked with");
        if (survivors.Count < plan.Threshold)
            throw new SecureAggregationException($"{survivors.Count} survivors, fewer than the threshold {plan.Threshold}: nothing is revealed");
        return _held.Where(h => survivors.Contains(h.Key) || dropped.Contains(h.Key))
            .Select(h => survivors.Contains(h.Key)
                ? new RevealedShare(h.Key, ShareKind.SelfSeed, h.Value.SelfSeed)
                : new RevealedShare(h.Key, ShareKind.MaskKey, h.Value.MaskKey))
            .ToArray();
    }

    private byte[] Seal(int recipient, SharePair shares)
    {
        var channel = PairSecrets.ChannelKey(_keys.ChannelKey, _advertised[recipient].ChannelPublicKey, plan.Context);
        return ShareEnvelope.Seal(channel, plan.Context, point, recipient, shares);
    }

    public void Dispose() => _keys.Dispose();
}

public enum ShareKind { SelfSeed, MaskKey }

/// <summary>A holder's share of one owner's secret, sent to the coordinator in the unmasking stage.</summary>
public sealed record RevealedShare(int Owner, ShareKind Kind, byte[] Value);
