namespace PoolCompress.SecureAggregation;

/// <summary>
/// The coordinator's side of one secure round, independent of transport: it takes each stage's messages with every
/// field checked (a client's numbers are hostile), relays sealed shares it cannot open, keeps only the running
/// masked sum of the uploads, and unmasks it once a threshold of every client's neighbours has revealed. A round
/// whose survivors cannot reach a threshold for some client fails before anyone is asked to reveal anything.
/// </summary>
public sealed class SecureRoundCollector(RoundPlan plan, int supportLength)
{
    private readonly Dictionary<int, Advertisement> _advertised = [];
    private readonly Dictionary<int, Dictionary<int, byte[]>> _sealedByRecipient = [];
    private readonly HashSet<int> _sharers = [];
    private readonly HashSet<int> _survivors = [];
    private readonly HashSet<int> _revealed = [];
    private readonly uint[] _maskedSum = new uint[supportLength];
    private Unmasking? _unmasking;

    public SecureStage Stage { get; private set; } = SecureStage.Advertising;
    public IReadOnlyDictionary<int, Advertisement> Advertised => _advertised;
    public IReadOnlyCollection<int> Sharers => _sharers;
    public IReadOnlyCollection<int> Survivors => _survivors;
    public IEnumerable<int> Dropped => _sharers.Except(_survivors);

    public void AcceptAdvertisement(int point, Advertisement advertisement)
    {
        Expect(SecureStage.Advertising);
        CheckPoint(point);
        advertisement.Validate();
        if (_advertised.Values.Any(a => a.MaskPublicKey.AsSpan().SequenceEqual(advertisement.MaskPublicKey) || a.ChannelPublicKey.AsSpan().SequenceEqual(advertisement.ChannelPublicKey)))
            throw new SecureAggregationException($"point {point} advertised a public key another client already advertised");
        if (!_advertised.TryAdd(point, advertisement))
            throw new SecureAggregationException($"point {point} advertised twice");
    }

    public void CloseAdvertising() => Advance(SecureStage.Sharing, _advertised.Count, "advertised keys");

    /// <summary>One sender's envelopes: exactly one for each advertised neighbour, each of the sealed size.</summary>
    public void AcceptShares(int sender, IReadOnlyDictionary<int, byte[]> sealedByRecipient)
    {
        Expect(SecureStage.Sharing);
        if (!_advertised.ContainsKey(sender))
            throw new SecureAggregationException($"point {sender} did not advertise keys");
        var expected = plan.Graph.NeighboursOf(sender).Where(_advertised.ContainsKey).ToHashSet();
        if (!expected.SetEquals(sealedByRecipient.Keys))
            throw new SecureAggregationException($"point {sender} must send one envelope to each of its {expected.Count} advertised neighbours");
        if (sealedByRecipient.Values.Any(s => s.Length != ShareEnvelope.SealedBytes))
            throw new SecureAggregationException($"a sealed share pair has {ShareEnvelope.SealedBytes} bytes");
        if (!_sharers.Add(sender))
            throw new SecureAggregationException($"point {sender} sent its shares twice");
        foreach (var (recipient, sealedBytes) in sealedByRecipient)
            SealedFor(recipient)[sender] = sealedBytes;
    }

    public void CloseSharing() => Advance(SecureStage.Uploading, _sharers.Count, "clients that shared");

    /// <summary>What <paramref name="recipient"/> is to open: the envelopes of the neighbours that shared.</summary>
    public IReadOnlyDictionary<int, byte[]> SharesFor(int recipient) =>
        _sealedByRecipient.GetValueOrDefault(recipient)?.Where(s => _sharers.Contains(s.Key)).ToDictionary() ?? [];

    public void AcceptMaskedUpload(int point, ReadOnlySpan<uint> words)
    {
        Expect(SecureStage.Uploading);
        if (!_sharers.Contains(point))
            throw new SecureAggregationException($"point {point} did not share and cannot upload");
        if (words.Length != supportLength)
            throw new SecureAggregationException($"a masked upload has {supportLength} words, not {words.Length}");
        foreach (var word in words)
            if (word > plan.Space.Mask)
                throw new SecureAggregationException($"a masked word is outside the modulus 2^{plan.Space.Bits}");
        if (!_survivors.Add(point))
            throw new SecureAggregationException($"point {point} uploaded twice");
        for (var i = 0; i < words.Length; i++)
            _maskedSum[i] = plan.Space.Add(_maskedSum[i], words[i]);
    }

    /// <summary>Ends uploads; fails the round, asking nobody to reveal, when some client's shares can no longer reach the threshold.</summary>
    public void CloseUploading()
    {
        Advance(SecureStage.Unmasking, _survivors.Count, "masked uploads");
        var stranded = _sharers.Where(s => plan.Graph.NeighboursOf(s).Count(_survivors.Contains) < plan.Threshold).ToArray();
        if (stranded.Length > 0)
            Fail($"point {stranded[0]} has fewer than {plan.Threshold} surviving neighbours to hold its shares");
        _unmasking = new Unmasking(plan, _advertised, _sharers, _survivors);
    }

    public void AcceptReveal(int holder, IReadOnlyList<RevealedShare> revealed)
    {
        Expect(SecureStage.Unmasking);
        if (!_revealed.Add(holder))
            throw new SecureAggregationException($"point {holder} revealed twice");
        _unmasking!.Accept(holder, revealed);
    }

    /// <summary>The survivors' sum, unmasked; on a missing or forged share the round fails and the sum stays masked.</summary>
    public uint[] Finish()
    {
        Expect(SecureStage.Unmasking);
        try
        {
            _unmasking!.Unmask(_maskedSum);
        }
        catch (SecureAggregationException e)
        {
            Fail(e.Message);
        }
        Stage = SecureStage.Unmasked;
        return _maskedSum;
    }

    private Dictionary<int, byte[]> SealedFor(int recipient)
    {
        if (!_sealedByRecipient.TryGetValue(recipient, out var sealedShares))
            _sealedByRecipient[recipient] = sealedShares = [];
        return sealedShares;
    }

    private void Advance(SecureStage next, int count, string what)
    {
        Expect(next - 1);
        if (count < plan.Threshold + 1)
            Fail($"{count} {what}, fewer than the {plan.Threshold + 1} a secure round needs");
        Stage = next;
    }

    private void CheckPoint(int point)
    {
        if (point < 1 || point > plan.Graph.Members)
            throw new SecureAggregationException($"point {point} is not a member of this round (1 to {plan.Graph.Members})");
    }

    private void Expect(SecureStage stage)
    {
        if (Stage != stage)
            throw new SecureAggregationException($"the round is at stage {Stage}, not {stage}");
    }

    private void Fail(string reason)
    {
        Stage = SecureStage.Failed;
        throw new SecureAggregationException($"secure round failed: {reason}");
    }
}
