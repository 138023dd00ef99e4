using NSec.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// The coordinator's last stage: from the survivors' masked sum and the shares they revealed, rebuild each
/// survivor's self seed and each dropped sharer's mask key, check them against what was advertised, and remove
/// their masks. With fewer than the threshold of shares for any one client it fails and the sum stays masked.
/// </summary>
public sealed class Unmasking(RoundPlan plan, IReadOnlyDictionary<int, Advertisement> advertised, IReadOnlyCollection<int> sharers, IReadOnlyCollection<int> survivors)
{
    private readonly Dictionary<int, List<Share>> _shares = [];

    /// <summary>Files one holder's revealed shares after checking that each is one the holder may hold and the coordinator may see.</summary>
    public void Accept(int holder, IReadOnlyList<RevealedShare> revealed)
    {
        if (!survivors.Contains(holder))
            throw new SecureAggregationException($"point {holder} did not upload and cannot reveal shares");
        foreach (var share in revealed)
        {
            if (!plan.Graph.ArePaired(holder, share.Owner) || !sharers.Contains(share.Owner))
                throw new SecureAggregationException($"point {holder} holds no share of point {share.Owner}");
            if (share.Value.Length != ShamirSharing.ValueBytes)
                throw new SecureAggregationException($"a share's value has {ShamirSharing.ValueBytes} bytes, not {share.Value.Length}");
            if (share.Kind != ExpectedKind(share.Owner))
                throw new SecureAggregationException($"a {share.Kind} share of point {share.Owner} is not to be revealed");
            var owned = SharesFiledFor(share.Owner);
            if (owned.Any(s => s.X == holder))
                throw new SecureAggregationException($"point {holder} revealed two shares of point {share.Owner}");
            owned.Add(new Share(holder, share.Value));
        }
    }

    /// <summary>Rebuilds every secret first, so a missing or forged share fails the round before the sum is touched.</summary>
    public void Unmask(Span<uint> maskedSum)
    {
        var selfSeeds = survivors.Select(SelfSeedOf).ToArray();
        var droppedKeys = new List<(int Point, Key Key)>();
        try
        {
            foreach (var dropped in sharers.Except(survivors))
                droppedKeys.Add((dropped, MaskKeyOf(dropped)));
            foreach (var seed in selfSeeds)
                MaskExpansion.Subtract(maskedSum, seed, plan.Space);
            foreach (var (point, key) in droppedKeys)
                RemovePairMasks(maskedSum, point, key);
        }
        finally
        {
            foreach (var (_, key) in droppedKeys)
                key.Dispose();
        }
    }

    private void RemovePairMasks(Span<uint> maskedSum, int dropped, Key maskKey)
    {
        foreach (var survivor in plan.Graph.NeighboursOf(dropped).Where(survivors.Contains))
        {
            var seed = PairSecrets.MaskSeed(maskKey, advertised[survivor].MaskPublicKey, plan.Context);
            MaskExpansion.RemovePairMask(maskedSum, seed, plan.Space, survivor, dropped);
        }
    }

    private byte[] SelfSeedOf(int owner) =>
        ShamirSharing.CombineVerified(SharesOf(owner), plan.Threshold, SeedStream.SeedBytes,
            seed => Advertisement.Commit(seed, plan.Context).AsSpan().SequenceEqual(advertised[owner].SelfSeedCommitment));

    private Key MaskKeyOf(int owner) =>
        RoundKeys.ImportMaskKey(ShamirSharing.CombineVerified(SharesOf(owner), plan.Threshold, SeedStream.SeedBytes,
            privateKey => MatchesPublicKey(privateKey, advertised[owner].MaskPublicKey)));

    private static bool MatchesPublicKey(byte[] privateKey, byte[] publicKey)
    {
        using var key = RoundKeys.ImportMaskKey(privateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(publicKey);
    }

    private List<Share> SharesOf(int owner) => _shares.GetValueOrDefault(owner) ?? [];

    private List<Share> SharesFiledFor(int owner)
    {
        if (!_shares.TryGetValue(owner, out var owned))
            _shares[owner] = owned = [];
        return owned;
    }

    private ShareKind ExpectedKind(int owner) => survivors.Contains(owner) ? ShareKind.SelfSeed : ShareKind.MaskKey;
}
