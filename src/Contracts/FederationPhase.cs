namespace PoolCompress.Contracts;

public enum FederationPhase
{
    WaitingForClients,
    Training,
    /// <summary>Clients evaluate the model the last round made on their validation data (federated evaluation).</summary>
    Evaluating,
    Done,
}
