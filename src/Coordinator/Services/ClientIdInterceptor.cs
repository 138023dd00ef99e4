using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// Refuses a call whose request names a client id that is malformed, that its <see cref="Caller"/> may not act as, or
/// that is not one of the federation's <see cref="FederationMembership"/>, before the handler reads it. The id is the request's <c>client_id</c>, or that of the message its oneof holds (an
/// update stream's first message, its UpdateHeader); handlers may take the id a request names as checked.
/// </summary>
public sealed class ClientIdInterceptor(FederationMembership members) : EveryCallInterceptor
{
    private const string ClientIdField = "client_id";

    protected override void OnFirstRequest(object request, ServerCallContext context)
    {
        if (request is IMessage message && NamedClient(message) is { } clientId) members.Admit(ClientIds.Require(clientId, context));
    }

    private static string? NamedClient(IMessage message)
    {
        var descriptor = message.Descriptor;
        if (descriptor.FindFieldByName(ClientIdField) is { FieldType: FieldType.String } field)
            return (string)field.Accessor.GetValue(message);
        foreach (var oneof in descriptor.Oneofs)
            if (oneof.Accessor.GetCaseFieldDescriptor(message) is { FieldType: FieldType.Message } part
                && part.Accessor.GetValue(message) is IMessage held)
                return NamedClient(held);
        return null;
    }
}
