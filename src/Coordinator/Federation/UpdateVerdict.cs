namespace PoolCompress.Coordinator.Federation;

public enum UpdateVerdict
{
    Accepted,
    /// <summary>The client is not among those selected for the round (or has not joined).</summary>
    NotSelected,
    /// <summary>The update is for another round or model version than the one in progress.</summary>
    Stale,
    /// <summary>The client already delivered (or was rejected for) this round.</summary>
    Duplicate,
    /// <summary>Under modeled link emulation, the update would reach the coordinator after the round's deadline.</summary>
    TooLate,
}
