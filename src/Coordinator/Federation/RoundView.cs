namespace PoolCompress.Coordinator.Federation;

/// <summary>Where a selected client's update stands in the round attempt in progress.</summary>
public enum ClientRoundState
{
    /// <summary>Selected, nothing received yet: downloading the model, training or uploading.</summary>
    Training,
    /// <summary>Received, checked and admitted; being added to its silo's partial sum.</summary>
    Admitted,
    Delivered,
    Rejected,
    /// <summary>Arrived after its (emulated) deadline; its update is in no sum.</summary>
    Late,
}

[GenerateSerializer, Immutable, Alias("PoolCompress.SelectedClient")]
public sealed record SelectedClient([property: Id(0)] string ClientId, [property: Id(1)] ClientRoundState State);

/// <summary>The round attempt in progress as the federation grain sees it, for watching a federation live.</summary>
[GenerateSerializer, Immutable, Alias("PoolCompress.RoundView")]
public sealed record RoundView(
    [property: Id(0)] FederationPhase Phase,
    [property: Id(1)] int Round,
    [property: Id(2)] int Attempt,
    [property: Id(3)] IReadOnlyList<SelectedClient> Selected)
{
    public static RoundView Of(FederationPhase phase, int round, IEnumerable<string> selected, RoundContributions? contributions) =>
        contributions is null || phase != FederationPhase.Training
            ? new RoundView(phase, round, 0, [])
            : new RoundView(phase, round, contributions.Attempt.Attempt,
                selected.Select(c => new SelectedClient(c, contributions.StateOf(c))).ToList());
}
