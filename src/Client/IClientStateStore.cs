using PoolCompress.Compression;

namespace PoolCompress.Client;

/// <summary>
/// Where a client's state lives between its rounds: its encoder (error-feedback residual, velocity) and whether it
/// holds on to the global model it last trained from.
/// </summary>
public interface IClientStateStore
{
    /// <summary>Whether clients keep the last global model between rounds (and so can take the downlink as a
    /// difference); otherwise they ask for the whole model each time they are selected.</summary>
    bool HoldsGlobalModel { get; }

    /// <summary>The client's encoder as its last <see cref="Keep"/> left it, or a fresh one from <paramref name="create"/>.</summary>
    UpdateEncoder Restore(string clientId, Func<UpdateEncoder> create);

    /// <summary>Stores the client's encoder after an update was encoded.</summary>
    void Keep(string clientId, UpdateEncoder encoder);
}
