using PoolCompress.Links;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Modeled link emulation for one round: each participant's download + training + upload time over its link,
/// computed from the bytes its task really cost at the socket; the straggler rule at the deadline; and the
/// round's duration (its slowest participant, or the whole deadline when anyone missed it).
/// </summary>
internal sealed class EmulatedLinks
{
    private readonly FederationSettings _settings;
    private readonly string[] _clients;
    private readonly LinkAssignment _assignment;
    private readonly List<ClientTiming> _onTime = [];

    public EmulatedLinks(FederationSettings settings, IEnumerable<string> joinedClients)
    {
        _settings = settings;
        _clients = joinedClients.Order(StringComparer.Ordinal).ToArray();
        _assignment = LinkAssignment.Parse(settings.Links!, _clients, settings.Seed);
    }

    /// <summary>Records a participant's modeled timing; false when its update would miss the deadline (a straggler).</summary>
    public bool Arrives(string clientId, TrainingReport report)
    {
        var link = _assignment.For(Array.BinarySearch(_clients, clientId, StringComparer.Ordinal));
        var timing = ModeledRound.Time(link, report.DownlinkBytes, TimeSpan.FromSeconds(report.Seconds), report.UplinkBytes);
        if (ModeledRound.IsStraggler(timing, _settings.RoundTimeout)) return false;
        _onTime.Add(timing);
        return true;
    }

    public TimeSpan RoundDuration(bool everyoneOnTime) =>
        everyoneOnTime && _onTime.Count > 0 ? ModeledRound.Duration(_onTime, _settings.RoundTimeout) : _settings.RoundTimeout;
}
