using Grpc.Core;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Who may take part, whoever the credentials say the caller is: the operator's list (<c>--members</c>); without
/// one, the ids of <c>--clients N</c> when clients prove who they are (certificates or per-client tokens), or anyone
/// when all share one token (simulations). A call naming or proving another id gets PERMISSION_DENIED, so the id is
/// never joined, selected or aggregated (docs/identity.md).
/// </summary>
public sealed class FederationMembership
{
    private const int IdsShown = 8;
    private readonly IReadOnlySet<string>? _listed;
    private readonly int? _clients;

    private FederationMembership(IReadOnlySet<string>? listed, int? clients) => (_listed, _clients) = (listed, clients);

    /// <param name="identitiesProven">whether each client proves one identity (certificates or per-client tokens).</param>
    public static FederationMembership For(FederationSettings settings, bool identitiesProven) =>
        settings.Members is not null ? new(ParseList(settings.Members).ToHashSet(StringComparer.Ordinal), null)
        : identitiesProven ? new(null, settings.Clients)
        : new(null, null);

    /// <summary>The ids of a <c>--members</c> list, in its order (blanks around commas dropped).</summary>
    public static IReadOnlyList<string> ParseList(string members) =>
        members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether any id may take part (a shared token and no list).</summary>
    public bool IsOpen => _listed is null && _clients is null;

    public bool Includes(string clientId) =>
        _listed?.Contains(clientId) ?? (_clients is not { } clients || FederationMembers.Includes(clients, clientId));

    /// <summary>Refuses a call for <paramref name="clientId"/> unless it is a member.</summary>
    public void Admit(string clientId)
    {
        if (!Includes(clientId))
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"client '{clientId}' is not a member of this federation, whose members are {Describe()}"));
    }

    /// <summary>The members, for a message: "client-0000 to client-0009 (--clients 10)", "site-a, site-b (--members)".</summary>
    public string Describe() =>
        _listed is not null ? $"{Listed(_listed)} (--members)"
        : _clients is { } clients ? $"{FederationMembers.Describe(clients)} (--clients {clients})"
        : "any id (a shared token and no --members)";

    /// <summary>The first few listed ids in order, so that a list of thousands does not flood a message.</summary>
    private static string Listed(IReadOnlySet<string> listed)
    {
        string shown = string.Join(", ", listed.Order(StringComparer.Ordinal).Take(IdsShown));
        return listed.Count > IdsShown ? $"{shown} and {listed.Count - IdsShown} more" : shown;
    }
}
