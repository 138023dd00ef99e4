namespace PoolCompress.Coordinator.Federation;

public enum FederationPhase
{
    WaitingForClients,
    Training,
    Done,
}
