namespace PoolCompress.SecureAggregation;

/// <summary>
/// What every party of a secure round agrees on before any key is made: the members (points 1..n), their pairing
/// graph, the share threshold, the mask space and the context that salts every derived secret.
/// </summary>
public sealed record RoundPlan(PairingGraph Graph, int Threshold, MaskSpace Space, byte[] Context)
{
    /// <summary>More than half the neighbours, so the coordinator can never gather a threshold of both kinds of share for one client.</summary>
    public static int DefaultThreshold(int degree) => degree / 2 + 1;

    public static RoundPlan Create(int members, int degree, ulong roundSeed, MaskSpace space, byte[] context)
    {
        var graph = PairingGraph.Build(members, degree, roundSeed);
        return new RoundPlan(graph, DefaultThreshold(PairingGraph.DegreeFor(members, degree)), space, context);
    }
}
