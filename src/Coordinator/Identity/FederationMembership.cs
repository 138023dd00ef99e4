using Grpc.Core;
using PoolCompress.Protos;

namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// Who may take part, whoever the credentials say the caller is: the operator's list (<c>--members</c>); without
/// one, with client certificates the ids <c>certs issue</c> recorded and did not revoke, with per-client tokens the ids
/// of <c>--clients N</c>, and anyone when all share one token (simulations). A call naming or proving another id gets
/// PERMISSION_DENIED, so the id is never joined, selected or aggregated (docs/identity.md).
/// </summary>
public sealed class FederationMembership
{
    private const int IdsShown = 8;
    private readonly Func<IReadOnlySet<string>>? _ids;
    private readonly string _source;
    private readonly int? _clients;

    private FederationMembership(Func<IReadOnlySet<string>>? ids, string source, int? clients) => (_ids, _source, _clients) = (ids, source, clients);

    /// <param name="identitiesProven">whether each client proves one identity (certificates or per-client tokens).</param>
    /// <param name="issued">with client certificates, the ids <c>certs issue</c> recorded.</param>
    public static FederationMembership For(FederationSettings settings, bool identitiesProven, IssuedClients? issued = null)
    {
        if (settings.Members is not null)
        {
            IReadOnlySet<string> listed = ParseList(settings.Members).ToHashSet(StringComparer.Ordinal);
            return new(() => listed, "--members", null);
        }
        return issued is not null ? new(() => issued.Current, "issued by 'certs issue' and not revoked", null)
            : identitiesProven ? new(null, $"--clients {settings.Clients}", settings.Clients)
            : new(null, "", null);
    }

    /// <summary>The ids of a <c>--members</c> list, in its order (blanks around commas dropped).</summary>
    public static IReadOnlyList<string> ParseList(string members) =>
        members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether any id may take part (a shared token and no list).</summary>
    public bool IsOpen => _ids is null && _clients is null;

    public bool Includes(string clientId) =>
        _ids is not null ? _ids().Contains(clientId) : _clients is not { } clients || FederationMembers.Includes(clients, clientId);

    /// <summary>Refuses a call for <paramref name="clientId"/> unless it is a member.</summary>
    public void Admit(string clientId)
    {
        if (!Includes(clientId))
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"client '{clientId}' is not a member of this federation, whose members are {Describe()}"));
    }

    /// <summary>
    /// The members, for a message: "client-0000 to client-0009 (--clients 10)", "site-a, site-b (--members)",
    /// "site-a, site-c (issued by 'certs issue' and not revoked)".
    /// </summary>
    public string Describe() =>
        _ids is not null ? $"{Listed(_ids())} ({_source})"
        : _clients is { } clients ? $"{FederationMembers.Describe(clients)} ({_source})"
        : "any id (a shared token and no --members)";

    /// <summary>The first few ids in order, so that a list of thousands does not flood a message.</summary>
    private static string Listed(IReadOnlySet<string> ids)
    {
        if (ids.Count == 0) return "none";
        string shown = string.Join(", ", ids.Order(StringComparer.Ordinal).Take(IdsShown));
        return ids.Count > IdsShown ? $"{shown} and {ids.Count - IdsShown} more" : shown;
    }
}
