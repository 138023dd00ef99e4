using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// The last update a client sent, kept (by its <see cref="IClientStateStore"/>, beside its encoder) until the
/// coordinator moves past its round. Encoding it already took what it carries out of the error-feedback residual, so
/// if the coordinator loses it (a crash, a lost silo) and asks for the same round on the same model again, the client
/// sends these very bytes instead of training again: a retrained update would be encoded against a residual that no
/// longer holds what the lost one carried.
/// </summary>
public sealed record UnacknowledgedUpdate(UpdateHeader Header, byte[] Payload)
{
    /// <summary>Whether <paramref name="task"/> asks again for the round this update answered. A task on a newer
    /// model version means the round was reduced: the update is acknowledged and need not be kept.</summary>
    public bool IsAskedAgainBy(TaskHeader task) => task.Round == Header.Round && task.ModelVersion == Header.BaseModelVersion;
}
