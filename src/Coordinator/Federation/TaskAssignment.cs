namespace PoolCompress.Coordinator.Federation;

public enum AssignmentKind
{
    Wait,
    Train,
    Done,
    /// <summary>Evaluate the global model on the local validation data and report how it scored.</summary>
    Evaluate,
    /// <summary>The client is unknown to the federation (never joined, or storage was lost): it must join again.</summary>
    NotJoined,
}

/// <summary>
/// What a client should do now. StateVersion lets a waiting client long-poll for the next change; FitConfig is what
/// the strategy tells the client for a Train task (null: nothing beyond the federation's config); Secure, the secure
/// round a Train task is answered in (null: the update is pushed as it is).
/// </summary>
[GenerateSerializer, Alias("PoolCompress.TaskAssignment")]
public sealed record TaskAssignment(
    [property: Id(0)] AssignmentKind Kind,
    [property: Id(1)] int Round,
    [property: Id(2)] long ModelVersion,
    [property: Id(3)] long StateVersion,
    [property: Id(4)] Dictionary<string, string>? FitConfig = null,
    [property: Id(5)] SecureRounds.SecureRoundTicket? Secure = null);
