using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>
/// Where a client's state lives between its rounds: its encoder (error-feedback residual, velocity), the update it
/// sent last (until the coordinator acknowledges its round) and whether it holds on to the global model it last
/// trained from.
/// </summary>
public interface IClientStateStore
{
    /// <summary>Whether clients keep the last global model between rounds; otherwise they rebuild the seeded initial
    /// model each time they are selected and take the downlink differences since it.</summary>
    bool HoldsGlobalModel { get; }

    /// <summary>The client's encoder as its last <see cref="Keep"/> left it, or a fresh one from <paramref name="create"/>.</summary>
    UpdateEncoder Restore(string clientId, Func<UpdateEncoder> create);

    /// <summary>The update the client's last <see cref="Keep"/> stored, or null if it has none.</summary>
    UnacknowledgedUpdate? Unacknowledged(string clientId);

    /// <summary>
    /// Stores the client's encoder after it encoded <paramref name="sent"/>, and that update, as one: the residual
    /// has given up what the update carries, so neither may be kept without the other.
    /// </summary>
    void Keep(string clientId, UpdateEncoder encoder, UnacknowledgedUpdate sent);
}
