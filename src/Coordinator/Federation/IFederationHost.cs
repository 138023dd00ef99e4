namespace PoolCompress.Coordinator.Federation;

/// <summary>What a federation's run needs from the grain that hosts it: its storage, its one timer and its activation.</summary>
internal interface IFederationHost
{
    Task WriteStateAsync();

    /// <summary>Runs <paramref name="callback"/> in a turn of the grain's own after <paramref name="dueTime"/>, replacing the timer armed before.</summary>
    void Arm(TimeSpan dueTime, Func<Task> callback);

    void Disarm();

    /// <summary>Ends the activation, so that the next call resumes the federation from storage.</summary>
    void Deactivate();
}
