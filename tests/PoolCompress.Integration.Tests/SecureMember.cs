using Google.Protobuf;
using Grpc.Core;
using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;
using RevealedShare = PoolCompress.SecureAggregation.RevealedShare;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// A member of a secure round speaking the four stages over raw gRPC with the core's <see cref="SecureClientRound"/>,
/// its words chosen by the test, so a test knows exactly what the sum must be and can stop or lie at any stage.
/// </summary>
internal sealed class SecureMember : IDisposable
{
    private readonly RawClient _raw;
    private readonly SecureClientRound _round;

    private SecureMember(RawClient raw, TaskHeader task, int seed)
    {
        (_raw, Task) = (raw, task);
        var plan = task.Secure;
        Space = new MaskSpace(plan.MaskBits);
        Plan = new RoundPlan(PairingGraph.Build(plan.Members.Count, plan.Degree, plan.RoundSeed), plan.Threshold, Space, plan.Context.ToByteArray());
        Support = SupportList.Read(plan.Support.Span, RawClient.CnnLayout().TotalLength, plan.SupportCount, plan.RoundSeed);
        var random = new Random(seed);
        Values = Support.Select(_ => random.Next(-plan.Levels, plan.Levels + 1)).ToArray();
        _round = new SecureClientRound(Plan, plan.Members.IndexOf(raw.ClientId) + 1);
    }

    public TaskHeader Task { get; }
    public RoundPlan Plan { get; }
    public MaskSpace Space { get; }
    public int[] Support { get; }
    /// <summary>This member's quantized values at the support, before masking.</summary>
    public int[] Values { get; }
    public Protos.V1.Federation.FederationClient Rpc => _raw.Rpc;
    public string ClientId => _raw.ClientId;

    /// <summary>Joins and waits for its training task, which must carry a secure plan.</summary>
    public static async Task<SecureMember> JoinAsync(Uri address, string clientId, int seed)
    {
        var raw = new RawClient(address, clientId);
        await raw.JoinAsync(100);
        var (task, _) = await raw.NextTrainTask();
        Assert.NotNull(task.Secure);
        return new SecureMember(raw, task, seed);
    }

    /// <summary>The same client as a member of the next secure round, once its training task comes.</summary>
    public async Task<SecureMember> NextRoundAsync(int seed)
    {
        _round.Dispose();
        var (task, _) = await _raw.NextTrainTask();
        Assert.NotNull(task.Secure);
        return new SecureMember(_raw, task, seed);
    }

    public SecureAdvertisement Advertisement()
    {
        var a = _round.Advertise();
        return new SecureAdvertisement
        {
            ClientId = ClientId, Round = Task.Round, MaskPublicKey = ByteString.CopyFrom(a.MaskPublicKey),
            ChannelPublicKey = ByteString.CopyFrom(a.ChannelPublicKey), SelfSeedCommitment = ByteString.CopyFrom(a.SelfSeedCommitment),
        };
    }

    public async Task<SecureShares> AdvertiseAsync(SecureAdvertisement advertisement)
    {
        var roster = await Rpc.AdvertiseAsync(advertisement);
        var advertised = roster.Points.Select((p, i) => (p, new Advertisement(roster.MaskPublicKeys[i].ToByteArray(),
            roster.ChannelPublicKeys[i].ToByteArray(), roster.Commitments[i].ToByteArray()))).ToDictionary(a => a.p, a => a.Item2);
        var shares = new SecureShares { ClientId = ClientId, Round = Task.Round };
        foreach (var (recipient, envelope) in _round.SealShares(advertised))
        {
            shares.Recipients.Add(recipient);
            shares.Envelopes.Add(ByteString.CopyFrom(envelope));
        }
        return shares;
    }

    /// <summary>Shares, then masks its words with the neighbours that shared: the packed masked upload.</summary>
    public async Task<byte[]> ShareAsync(SecureShares shares)
    {
        var reply = await Rpc.ShareKeysAsync(shares);
        _round.OpenShares(reply.Senders.Zip(reply.Envelopes).ToDictionary(s => s.First, s => s.Second.ToByteArray()));
        var words = Values.Select(Space.FromSigned).ToArray();
        _round.Mask(words, reply.Sharers);
        return MaskedWords.Pack(words, Space);
    }

    public UpdateHeader UploadHeader(long payloadBytes) => _raw.HeaderFor(Task, payloadBytes);

    public async Task<(SecureOutcome? Outcome, RpcException? Error)> UploadAsync(UpdateHeader header, byte[] packed)
    {
        using var call = Rpc.UploadMasked();
        return await ClientStreams.SendAsync(call, PayloadChunks.Split(packed).Select(c => new UpdateMessage { Chunk = c }).Prepend(new UpdateMessage { Header = header }));
    }

    public RevealedShares Reveal(SecureOutcome outcome)
    {
        var reveal = new RevealedShares { ClientId = ClientId, Round = Task.Round };
        reveal.Shares.Add(_round.Reveal(outcome.Survivors, outcome.Dropped).Select(ToMessage));
        return reveal;
    }

    /// <summary>Every stage honestly; <paramref name="stopAfter"/> names the last stage it takes part in.</summary>
    public async Task<SecureOutcome?> RunAsync(SecureStage stopAfter = SecureStage.Unmasking)
    {
        var shares = await AdvertiseAsync(Advertisement());
        var packed = await ShareAsync(shares);
        if (stopAfter == SecureStage.Sharing) return null;
        var (outcome, error) = await UploadAsync(UploadHeader(packed.Length), packed);
        if (error is not null) throw error;
        if (stopAfter == SecureStage.Uploading) return outcome;
        await Rpc.RevealAsync(Reveal(outcome!));
        return outcome;
    }

    private static Protos.V1.RevealedShare ToMessage(RevealedShare share) =>
        new() { Owner = share.Owner, MaskKey = share.Kind == ShareKind.MaskKey, Value = ByteString.CopyFrom(share.Value) };

    public void Dispose()
    {
        _round.Dispose();
        _raw.Dispose();
    }
}
