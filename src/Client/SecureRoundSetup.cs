using PoolCompress.Protos.V1;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Client;

/// <summary>
/// A secure round's plan as a member reads it from its TRAIN task: its point, the pairing graph and threshold, the
/// mask space, the support (drawn from the round's seed, or named by the coordinator and checked) and the quantizer.
/// A plan that does not hold together is refused, and one whose threshold is below more than half the neighbours too:
/// a lower one would let the coordinator rebuild both secrets of a client.
/// </summary>
internal sealed record SecureRoundSetup(RoundPlan Plan, int Point, int[] Support, SecureQuantizer Quantizer)
{
    private const int MaxContextBytes = 1024;

    public static SecureRoundSetup Read(SecureRoundPlan plan, string clientId, int dimension)
    {
        int members = plan.Members.Count;
        int point = plan.Members.IndexOf(clientId) + 1;
        if (point == 0) throw new SecureAggregationException($"the plan does not name '{clientId}' among its members");
        if (!plan.Members.SequenceEqual(plan.Members.Order(StringComparer.Ordinal).Distinct()))
            throw new SecureAggregationException("the plan's members are not sorted and distinct");
        if (plan.Degree != PairingGraph.DegreeFor(members, plan.Degree) || plan.Degree < 1)
            throw new SecureAggregationException($"a degree of {plan.Degree} does not fit {members} members");
        if (plan.Threshold != RoundPlan.DefaultThreshold(plan.Degree))
            throw new SecureAggregationException($"the threshold must be more than half the {plan.Degree} neighbours, not {plan.Threshold}");
        if (plan.Context.Length is 0 or > MaxContextBytes)
            throw new SecureAggregationException($"a round context has 1 to {MaxContextBytes} bytes");
        var space = new MaskSpace(plan.MaskBits);
        var quantizer = new SecureQuantizer(plan.Scale, plan.Levels);
        if (space.MaxAddends(plan.Levels) < members)
            throw new SecureAggregationException($"{members} members' values of {plan.Levels} levels overflow {plan.MaskBits} bits");
        var graph = PairingGraph.Build(members, plan.Degree, plan.RoundSeed);
        var support = SupportList.Read(plan.Support.Span, dimension, plan.SupportCount, plan.RoundSeed);
        return new SecureRoundSetup(new RoundPlan(graph, plan.Threshold, space, plan.Context.ToByteArray()), point, support, quantizer);
    }
}
