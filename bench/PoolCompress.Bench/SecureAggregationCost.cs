using System.Diagnostics;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Bench;

/// <summary>
/// What secure aggregation adds to a round, without transport: every client's work (keys, sealing and opening
/// shares, encoding and masking its update, revealing) and the coordinator's (checking and relaying, summing,
/// rebuilding secrets and removing masks), for rounds of 10, 100 and 1,000 clients with 10 % dropped after sharing,
/// and the protocol bytes one client sends per stage before gRPC framing.
/// </summary>
internal static class SecureAggregationCost
{
    public const int DefaultSupport = 3_776;
    private const int Dimension = 188_810;
    private const int Degree = 16;
    private const int Levels = 1;

    public static void Print(int support)
    {
        Console.WriteLine($"support {support:N0} of {Dimension:N0} coordinates, ternary, degree {Degree}, 10 % dropped after sharing, {Environment.ProcessorCount} cores");
        Console.WriteLine("| clients | bits | client ms | coordinator ms | coordinator allocated MiB | keys B | shares B | masked B | reveal B |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var members in new[] { 10, 100, 1000 })
            Console.WriteLine(Measure(members, support));
    }

    private static string Measure(int members, int support)
    {
        var space = MaskSpace.For(members, Levels);
        var plan = RoundPlan.Create(members, Degree, roundSeed: 1, space, [1]);
        var clients = Enumerable.Range(1, members).Select(p => new SecureClientRound(plan, p)).ToArray();
        var collector = new SecureRoundCollector(plan, support);
        var meter = new SideMeter();

        var envelopes = ExchangeShares(clients, collector, meter);
        var dropped = new Random(1).GetItems(Enumerable.Range(1, members).ToArray(), members).Distinct().Take(Math.Max(1, members / 10)).ToHashSet();
        var updates = Enumerable.Range(1, members).Where(p => !dropped.Contains(p)).ToDictionary(p => p, RandomUpdate);
        var uploads = updates.ToDictionary(u => u.Key, u => meter.OnClient(() => MaskedUpload(clients[u.Key - 1], u.Value, support, space, collector.Sharers)));
        meter.OnCoordinator(() => AcceptUploads(collector, uploads, support, space));
        var reveals = uploads.Keys.ToDictionary(p => p, p => meter.OnClient(() => clients[p - 1].Reveal(collector.Survivors, collector.Dropped.ToArray())));
        meter.OnCoordinator(() => Unmask(collector, reveals));

        var one = uploads.Keys.First();
        return $"| {members:N0} | {space.Bits} | {meter.Client.Elapsed.TotalMilliseconds / members:F1} | {meter.Coordinator.Elapsed.TotalMilliseconds:F0} | {meter.CoordinatorAllocated / 1048576.0:F1} " +
            $"| {2 * RoundKeys.PublicKeyBytes + Advertisement.CommitmentBytes} | {envelopes[one - 1].Count * (ShareEnvelope.SealedBytes + sizeof(int)):N0} " +
            $"| {uploads[one].Length:N0} | {reveals[one].Count * (ShamirSharing.ValueBytes + sizeof(int) + 1):N0} |";
    }

    private static IReadOnlyDictionary<int, byte[]>[] ExchangeShares(SecureClientRound[] clients, SecureRoundCollector collector, SideMeter meter)
    {
        var advertisements = clients.Select(c => meter.OnClient(c.Advertise)).ToArray();
        meter.OnCoordinator(() =>
        {
            for (var p = 1; p <= clients.Length; p++) collector.AcceptAdvertisement(p, advertisements[p - 1]);
            collector.CloseAdvertising();
        });
        var envelopes = clients.Select(c => meter.OnClient(() => c.SealShares(collector.Advertised))).ToArray();
        meter.OnCoordinator(() =>
        {
            for (var p = 1; p <= clients.Length; p++) collector.AcceptShares(p, envelopes[p - 1]);
            collector.CloseSharing();
        });
        for (var p = 1; p <= clients.Length; p++)
        {
            var point = p;
            meter.OnClient(() => { clients[point - 1].OpenShares(collector.SharesFor(point)); return point; });
        }
        return envelopes;
    }

    private static void AcceptUploads(SecureRoundCollector collector, Dictionary<int, byte[]> uploads, int support, MaskSpace space)
    {
        foreach (var (point, packed) in uploads) collector.AcceptMaskedUpload(point, MaskedWords.Unpack(packed, support, space));
        collector.CloseUploading();
    }

    private static void Unmask(SecureRoundCollector collector, Dictionary<int, IReadOnlyList<RevealedShare>> reveals)
    {
        foreach (var (point, shares) in reveals) collector.AcceptReveal(point, shares);
        collector.Finish();
    }

    private static float[] RandomUpdate(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Dimension).Select(_ => (random.NextSingle() - 0.5f) * 0.02f).ToArray();
    }

    private static byte[] MaskedUpload(SecureClientRound client, float[] update, int support, MaskSpace space, IReadOnlyCollection<int> sharers)
    {
        var words = new SecureUpdateEncoder(Dimension).Encode(update, SharedSupport.Choose(Dimension, support, roundSeed: 1), new SecureQuantizer(0.01f, Levels), space, new Random(1));
        client.Mask(words, sharers);
        return MaskedWords.Pack(words, space);
    }

    /// <summary>Time on each side, and what the coordinator's side allocated, all on this one thread.</summary>
    private sealed class SideMeter
    {
        public Stopwatch Client { get; } = new();
        public Stopwatch Coordinator { get; } = new();
        public long CoordinatorAllocated { get; private set; }

        public T OnClient<T>(Func<T> work)
        {
            Client.Start();
            var result = work();
            Client.Stop();
            return result;
        }

        public void OnCoordinator(Action work)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Coordinator.Start();
            work();
            Coordinator.Stop();
            CoordinatorAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}
