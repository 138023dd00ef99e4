namespace PoolCompress.Client;

/// <summary>
/// Changes a client's update after training and before it is encoded. Simulations use it to make some clients
/// malicious (<see cref="Attacks.ClientAttack"/>); an honest client has none.
/// </summary>
public interface IUpdateFilter
{
    /// <param name="update">The trained weights minus <paramref name="global"/>, changed in place.</param>
    /// <param name="global">The global model the client trained from.</param>
    /// <param name="round">The round the update is for, so that seeded filters vary from round to round.</param>
    void Apply(Span<float> update, ReadOnlySpan<float> global, int round);
}
