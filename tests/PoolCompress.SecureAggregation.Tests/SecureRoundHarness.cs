using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

/// <summary>A whole secure round in memory: n clients and the coordinator's routing, with chosen dropouts after sharing.</summary>
internal sealed class SecureRoundHarness : IDisposable
{
    private readonly SecureClientRound[] _clients;
    private readonly Dictionary<int, Advertisement> _advertised;

    public SecureRoundHarness(int members, int degree, MaskSpace space, ulong roundSeed = 7)
    {
        Plan = RoundPlan.Create(members, degree, roundSeed, space, [1, 2, 3, 4]);
        _clients = Enumerable.Range(1, members).Select(p => new SecureClientRound(Plan, p)).ToArray();
        _advertised = Points.ToDictionary(p => p, p => Client(p).Advertise());
        ExchangeShares();
    }

    public RoundPlan Plan { get; }
    public IReadOnlyDictionary<int, Advertisement> Advertised => _advertised;
    public IReadOnlyList<int> Points => Enumerable.Range(1, _clients.Length).ToArray();

    public SecureClientRound Client(int point) => _clients[point - 1];

    public uint[] MaskedUpload(int point, uint[] words)
    {
        var masked = (uint[])words.Clone();
        Client(point).Mask(masked, Points.ToArray());
        return masked;
    }

    /// <summary>The coordinator's unmasking of the survivors' uploads, every survivor revealing what it holds.</summary>
    public uint[] Aggregate(IReadOnlyDictionary<int, uint[]> uploads)
    {
        var survivors = uploads.Keys.ToArray();
        var sum = SumOf(uploads.Values);
        var unmasking = new Unmasking(Plan, _advertised, Points.ToArray(), survivors);
        var dropped = Points.Except(survivors).ToArray();
        foreach (var holder in survivors)
            unmasking.Accept(holder, Client(holder).Reveal(survivors, dropped));
        unmasking.Unmask(sum);
        return sum;
    }

    public uint[] SumOf(IEnumerable<uint[]> vectors)
    {
        var all = vectors.ToArray();
        var sum = new uint[all[0].Length];
        foreach (var vector in all)
            for (var i = 0; i < sum.Length; i++)
                sum[i] = Plan.Space.Add(sum[i], vector[i]);
        return sum;
    }

    private void ExchangeShares()
    {
        var sealedShares = Points.ToDictionary(p => p, p => Client(p).SealShares(_advertised));
        foreach (var recipient in Points)
            Client(recipient).OpenShares(Points.Where(s => sealedShares[s].ContainsKey(recipient))
                .ToDictionary(s => s, s => sealedShares[s][recipient]));
    }

    public void Dispose()
    {
        foreach (var client in _clients)
            client.Dispose();
    }
}
