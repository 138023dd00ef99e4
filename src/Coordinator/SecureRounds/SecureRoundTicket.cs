using PoolCompress.Coordinator.Federation;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>
/// A secure round as the federation grain started it: the attempt, the model its members train from, the members
/// (sorted by id: a member's point is its index plus 1), when the federation's round deadline falls, and the sizes
/// every party derives from the settings. It comes from the federation grain, never from a client.
/// </summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.SecureRoundTicket")]
public sealed record SecureRoundTicket(
    [property: Id(0)] string FederationId,
    [property: Id(1)] RoundAttempt Attempt,
    [property: Id(2)] long ModelVersion,
    [property: Id(3)] string[] Members,
    [property: Id(4)] DateTimeOffset Deadline,
    [property: Id(5)] int SupportCount,
    [property: Id(6)] int MaskBits)
{
    /// <summary>The secure round grain's key: one per federation, round and attempt.</summary>
    public string Key => $"{FederationId}/{Attempt.Round}/{Attempt.Attempt}";

    public MaskSpace Space => new(MaskBits);

    /// <summary>The member's point, or 0 for a client that is not a member.</summary>
    public int PointOf(string clientId) => Array.BinarySearch(Members, clientId, StringComparer.Ordinal) is var i and >= 0 ? i + 1 : 0;

    public string MemberAt(int point) => Members[point - 1];

    public static SecureRoundTicket For(FederationSettings settings, RoundAttempt attempt, long modelVersion, IEnumerable<string> selected, DateTimeOffset deadline, int dimension)
    {
        var members = selected.Order(StringComparer.Ordinal).ToArray();
        int support = (int)Math.Clamp(Math.Round(settings.SecureSupport * dimension), 1, dimension);
        return new(settings.FederationId, attempt, modelVersion, members, deadline, support, MaskSpace.For(members.Length, settings.SecureLevels).Bits);
    }
}
