using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class SecureRoundCollectorTests
{
    private const int Length = 64;
    private static readonly MaskSpace Space = MaskSpace.For(12, 1);

    [Fact]
    public void A_round_through_the_collector_sums_exactly_the_survivors()
    {
        var (plan, clients) = Clients(members: 12, degree: 6);
        var collector = new SecureRoundCollector(plan, Length);
        var updates = clients.Select((_, i) => Enumerable.Range(0, Length).Select(j => Space.FromSigned((i + j) % 3 - 1)).ToArray()).ToArray();
        ShareAll(collector, clients);
        int[] uploaders = [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12];

        foreach (var point in uploaders)
            collector.AcceptMaskedUpload(point, Masked(clients[point - 1], updates[point - 1], collector));
        collector.CloseUploading();
        foreach (var holder in collector.Survivors)
            collector.AcceptReveal(holder, clients[holder - 1].Reveal(collector.Survivors, collector.Dropped.ToArray()));
        var sum = collector.Finish();

        Assert.Equal(Enumerable.Range(0, Length).Select(j => uploaders.Select(p => updates[p - 1][j]).Aggregate(0u, Space.Add)), sum);
        Assert.Equal(SecureStage.Unmasked, collector.Stage);
    }

    [Fact]
    public void A_client_that_advertised_but_never_shared_is_left_out_of_every_mask()
    {
        var (plan, clients) = Clients(members: 8, degree: 6);
        var collector = new SecureRoundCollector(plan, Length);
        for (var point = 1; point <= clients.Length; point++)
            collector.AcceptAdvertisement(point, clients[point - 1].Advertise());
        collector.CloseAdvertising();
        int[] sharers = [1, 2, 4, 5, 6, 7, 8];
        foreach (var point in sharers)
            collector.AcceptShares(point, clients[point - 1].SealShares(collector.Advertised));
        collector.CloseSharing();
        var ones = Enumerable.Repeat(Space.FromSigned(1), Length).ToArray();

        foreach (var point in sharers)
        {
            clients[point - 1].OpenShares(collector.SharesFor(point));
            collector.AcceptMaskedUpload(point, Masked(clients[point - 1], ones, collector));
        }
        collector.CloseUploading();
        foreach (var holder in collector.Survivors)
            collector.AcceptReveal(holder, clients[holder - 1].Reveal(collector.Survivors, collector.Dropped.ToArray()));

        Assert.All(collector.Finish(), word => Assert.Equal(sharers.Length, Space.ToSigned(word)));
    }

    [Fact]
    public void Too_few_uploads_fail_the_round_before_any_share_is_asked_for()
    {
        var (plan, clients) = Clients(members: 6, degree: 4);
        var collector = new SecureRoundCollector(plan, Length);
        ShareAll(collector, clients);
        foreach (var point in new[] { 1, 2 })
            collector.AcceptMaskedUpload(point, Masked(clients[point - 1], new uint[Length], collector));

        Assert.Throws<SecureAggregationException>(collector.CloseUploading);
        Assert.Equal(SecureStage.Failed, collector.Stage);
        Assert.Throws<SecureAggregationException>(() => collector.AcceptReveal(1, []));
    }

    [Fact]
    public void Hostile_advertisements_are_refused()
    {
        var (plan, clients) = Clients(members: 4, degree: 4);
        var collector = new SecureRoundCollector(plan, Length);
        var first = clients[0].Advertise();
        collector.AcceptAdvertisement(1, first);

        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(1, clients[1].Advertise()));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(2, first));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(9, clients[1].Advertise()));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(0, clients[1].Advertise()));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(2, first with { MaskPublicKey = new byte[33] }));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptAdvertisement(2, first with { SelfSeedCommitment = [] }));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptShares(1, new Dictionary<int, byte[]>()));
    }

    [Fact]
    public void Hostile_shares_and_uploads_are_refused()
    {
        var (plan, clients) = Clients(members: 5, degree: 4);
        var collector = new SecureRoundCollector(plan, Length);
        foreach (var (client, point) in clients.Select((c, i) => (c, i + 1)))
            collector.AcceptAdvertisement(point, client.Advertise());
        collector.CloseAdvertising();
        var envelopes = clients[0].SealShares(collector.Advertised);

        Assert.Throws<SecureAggregationException>(() => collector.AcceptShares(1, envelopes.Skip(1).ToDictionary()));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptShares(1, envelopes.ToDictionary(e => e.Key, e => e.Value[..^1])));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptShares(1, envelopes.Append(new(1, envelopes[2])).ToDictionary()));
        collector.AcceptShares(1, envelopes);
        Assert.Throws<SecureAggregationException>(() => collector.AcceptShares(1, envelopes));
        foreach (var point in new[] { 2, 3, 4 })
            collector.AcceptShares(point, clients[point - 1].SealShares(collector.Advertised));
        collector.CloseSharing();

        Assert.Throws<SecureAggregationException>(() => collector.AcceptMaskedUpload(5, new uint[Length]));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptMaskedUpload(1, new uint[Length - 1]));
        Assert.Throws<SecureAggregationException>(() => collector.AcceptMaskedUpload(1, Enumerable.Repeat(Space.Mask + 1, Length).ToArray()));
        collector.AcceptMaskedUpload(1, new uint[Length]);
        Assert.Throws<SecureAggregationException>(() => collector.AcceptMaskedUpload(1, new uint[Length]));
    }

    private static (RoundPlan Plan, SecureClientRound[] Clients) Clients(int members, int degree)
    {
        var plan = RoundPlan.Create(members, degree, roundSeed: 3, Space, [7]);
        return (plan, Enumerable.Range(1, members).Select(p => new SecureClientRound(plan, p)).ToArray());
    }

    private static void ShareAll(SecureRoundCollector collector, SecureClientRound[] clients)
    {
        for (var point = 1; point <= clients.Length; point++)
            collector.AcceptAdvertisement(point, clients[point - 1].Advertise());
        collector.CloseAdvertising();
        for (var point = 1; point <= clients.Length; point++)
            collector.AcceptShares(point, clients[point - 1].SealShares(collector.Advertised));
        collector.CloseSharing();
        for (var point = 1; point <= clients.Length; point++)
            clients[point - 1].OpenShares(collector.SharesFor(point));
    }

    private static uint[] Masked(SecureClientRound client, uint[] words, SecureRoundCollector collector)
    {
        var masked = (uint[])words.Clone();
        client.Mask(masked, collector.Sharers);
        return masked;
    }
}
