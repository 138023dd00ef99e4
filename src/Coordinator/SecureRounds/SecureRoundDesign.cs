using System.Text;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>
/// Everything a secure round's parties derive from its ticket and the settings: the public round seed, the context
/// that salts every secret, the pairing graph and threshold and the quantizer (the support: SecureSupports). Deterministic,
/// so the plan a client is told and the one the coordinator checks against are the same.
/// </summary>
public sealed class SecureRoundDesign
{
    /// <summary>Neighbours per member (SecAgg+'s O(log n)); everyone is paired in rounds of 17 clients or fewer.</summary>
    public const int Degree = 16;

    private SecureRoundDesign(SecureRoundTicket ticket, FederationSettings settings)
    {
        RoundSeed = SeedOf(settings.Seed, ticket.Attempt.Round, ticket.Attempt.Attempt);
        Context = Encoding.UTF8.GetBytes($"poolcompress/secagg/v1/{ticket.Key}");
        Plan = RoundPlan.Create(ticket.Members.Length, Degree, RoundSeed, ticket.Space, Context);
        Quantizer = new SecureQuantizer((float)settings.SecureScale, settings.SecureLevels);
    }

    public ulong RoundSeed { get; }
    public byte[] Context { get; }
    public RoundPlan Plan { get; }
    public SecureQuantizer Quantizer { get; }

    public static SecureRoundDesign For(SecureRoundTicket ticket, FederationSettings settings) => new(ticket, settings);

    /// <summary>The federation's seed mixed with the round and attempt, so each attempt pairs and samples afresh.</summary>
    private static ulong SeedOf(long seed, int round, int attempt) =>
        unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)round * 0xBF58476D1CE4E5B9UL ^ (ulong)attempt * 0x94D049BB133111EBUL);
}
