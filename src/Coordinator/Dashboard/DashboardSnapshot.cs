using PoolCompress.Coordinator.Federation;

namespace PoolCompress.Coordinator.Dashboard;

/// <summary>What the dashboard page shows, as one JSON document (<c>GET /dashboard/state</c>).</summary>
public sealed record DashboardSnapshot(
    string Federation,
    string Phase,
    int Round,
    int Rounds,
    int Attempt,
    string Codec,
    string DownlinkCodec,
    int JoinedClients,
    int ExpectedClients,
    IReadOnlyList<DashboardClient> Clients,
    IReadOnlyList<DashboardRound> History)
{
    public static DashboardSnapshot From(FederationStatus status, RoundView view, IReadOnlyCollection<string> uploading)
    {
        var settings = status.Settings ?? new FederationSettings();
        var totals = status.Clients.ToDictionary(c => c.ClientId, StringComparer.Ordinal);
        var states = view.Selected.ToDictionary(c => c.ClientId, c => StateName(c.State, uploading.Contains(c.ClientId)), StringComparer.Ordinal);
        var clients = totals.Keys.Union(states.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id =>
            {
                var total = totals.GetValueOrDefault(id) ?? new ClientTotals(id, 0, 0, 0);
                return new DashboardClient(id, states.GetValueOrDefault(id) ?? "idle", total.Updates, total.UplinkBytes, total.DownlinkBytes);
            })
            .ToList();
        long cumulativeUplink = 0;
        var history = status.History
            .Select(r => new DashboardRound(r.Round, r.TestAccuracy, r.UplinkBytes, cumulativeUplink += r.UplinkBytes, r.DownlinkBytes,
                r.Participants, r.Stragglers, r.Rejected, r.WallSeconds))
            .ToList();
        return new DashboardSnapshot(settings.FederationId, PhaseName(status.Phase), status.Round, settings.Rounds, view.Attempt,
            settings.Codec, settings.DownlinkCodec, status.JoinedClients, settings.Clients, clients, history);
    }

    private static string PhaseName(FederationPhase phase) => phase switch
    {
        FederationPhase.WaitingForClients => "waiting for clients",
        FederationPhase.Training => "training",
        FederationPhase.Evaluating => "clients evaluating",
        _ => "done",
    };

    /// <summary>A selected client with nothing admitted yet is uploading while this silo receives its update.</summary>
    private static string StateName(ClientRoundState state, bool uploading) => state switch
    {
        ClientRoundState.Training => uploading ? "uploading" : "training",
        ClientRoundState.Admitted => "uploading",
        ClientRoundState.Delivered => "delivered",
        ClientRoundState.Rejected => "rejected",
        _ => "late",
    };
}

/// <summary>A client's state in the round in progress (idle when not selected) and its totals over the federation.</summary>
public sealed record DashboardClient(string Id, string State, int Updates, long UplinkBytes, long DownlinkBytes);

public sealed record DashboardRound(
    int Round,
    double Accuracy,
    long UplinkBytes,
    long CumulativeUplinkBytes,
    long DownlinkBytes,
    int Participants,
    int Stragglers,
    int Rejected,
    double WallSeconds);
