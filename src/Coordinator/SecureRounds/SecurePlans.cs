using Google.Protobuf;
using PoolCompress.SecureAggregation;
using V1 = PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>The plan a member of a secure round is told in its TRAIN task's header.</summary>
public static class SecurePlans
{
    public static V1.SecureRoundPlan Describe(SecureRoundTicket ticket, FederationSettings settings, ChosenSupport support)
    {
        var design = SecureRoundDesign.For(ticket, settings);
        return new V1.SecureRoundPlan
        {
            Members = { ticket.Members },
            Degree = PairingGraph.DegreeFor(ticket.Members.Length, SecureRoundDesign.Degree),
            Threshold = design.Plan.Threshold,
            MaskBits = ticket.MaskBits,
            Levels = design.Quantizer.Levels,
            Scale = design.Quantizer.Scale,
            SupportCount = ticket.SupportCount,
            RoundSeed = design.RoundSeed,
            Context = ByteString.CopyFrom(design.Context),
            Support = ByteString.CopyFrom(support.Named),
        };
    }
}
