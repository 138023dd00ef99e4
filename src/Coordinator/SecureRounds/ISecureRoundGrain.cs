using Orleans.Concurrency;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>
/// One secure round attempt's coordinator side (<see cref="SecureRoundGrain"/>), keyed by <see cref="SecureRoundTicket.Key"/>.
/// Each stage's submission answers at once, with a refusal or null; a caller then waits for the stage to close with
/// <see cref="WaitPast"/>, in polls short enough for a grain call.
/// </summary>
[Alias("PoolCompress.ISecureRoundGrain")]
public interface ISecureRoundGrain : IGrainWithStringKey
{
    [Alias("Advertise")] Task<string?> Advertise(SecureRoundTicket ticket, string clientId, AdvertisedKeys keys);

    [Alias("Share")] Task<string?> Share(SecureRoundTicket ticket, string clientId, Dictionary<int, byte[]> envelopes);

    /// <summary>The silo-local partial sum the round's unmasked sum will go to, which its uploads are admitted into.</summary>
    [AlwaysInterleave, Alias("PartialKey")] Task<string> PartialKey();

    [Alias("Upload")] Task<string?> Upload(SecureRoundTicket ticket, string clientId, uint[] words);

    [Alias("Reveal")] Task<string?> Reveal(SecureRoundTicket ticket, string clientId, RevealedShareView[] shares);

    /// <summary>The round as <paramref name="clientId"/> sees it, once it is past <paramref name="stage"/> or at the timeout.</summary>
    [AlwaysInterleave, Alias("WaitPast")] Task<SecureRoundView> WaitPast(int stage, TimeSpan timeout, string clientId);
}

/// <summary>What a member advertised in the first stage.</summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.AdvertisedKeys")]
public sealed record AdvertisedKeys([property: Id(0)] byte[] MaskPublicKey, [property: Id(1)] byte[] ChannelPublicKey, [property: Id(2)] byte[] Commitment);

[GenerateSerializer, Immutable, Alias("PoolCompress.RevealedShareView")]
public sealed record RevealedShareView([property: Id(0)] int Owner, [property: Id(1)] bool MaskKey, [property: Id(2)] byte[] Value);

/// <summary>
/// A secure round's public state for one member: its stage (a <see cref="SecureAggregation.SecureStage"/>), why it
/// failed, who advertised what, who shared (and what was sealed for this member), who survived and who dropped.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.SecureRoundView")]
public sealed record SecureRoundView(
    [property: Id(0)] int Stage,
    [property: Id(1)] string? Failure,
    [property: Id(2)] Dictionary<int, AdvertisedKeys> Advertised,
    [property: Id(3)] int[] Sharers,
    [property: Id(4)] Dictionary<int, byte[]> SealedForYou,
    [property: Id(5)] int[] Survivors,
    [property: Id(6)] int[] Dropped);
