using PoolCompress.Coordinator.Transport;

namespace PoolCompress.Coordinator.Federation;

/// <summary>
/// Who answered one round attempt, and how. An update the grain takes is first admitted (the receiving silo is
/// adding it to that silo's partial sum) and then delivered, once that silo confirms the add; a round completes
/// only when every selected client was delivered, rejected or late, so no add can still be on its way. When the
/// round is reduced, each silo's partial sum must hold exactly what was delivered there (plus admitted updates
/// whose add landed without its confirmation yet); anything else means that sum is not the one recorded here.
/// </summary>
public sealed class RoundContributions(RoundAttempt attempt)
{
    private readonly Dictionary<string, Contribution> _admitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Contribution> _delivered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TrainingReport> _late = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);

    private sealed record Contribution(string PartialKey, TrainingReport Training);

    public RoundAttempt Attempt => attempt;

    public int Delivered => _delivered.Count;

    public int Rejected => _rejected.Count;

    public int Late => _late.Count;

    /// <summary>Whether the client has nothing more to do this attempt (an admitted update is still on its way).</summary>
    public bool HasAnswered(string clientId) => _admitted.ContainsKey(clientId) || IsSettled(clientId);

    /// <summary>Whether the client's answer is final: delivered, rejected or late. An admitted client may submit again.</summary>
    public bool IsSettled(string clientId) => _delivered.ContainsKey(clientId) || _rejected.Contains(clientId) || _late.ContainsKey(clientId);

    public bool IsAdmitted(string clientId) => _admitted.ContainsKey(clientId);

    public bool IsDelivered(string clientId) => _delivered.ContainsKey(clientId);

    public ClientRoundState StateOf(string clientId) =>
        _delivered.ContainsKey(clientId) ? ClientRoundState.Delivered
        : _rejected.Contains(clientId) ? ClientRoundState.Rejected
        : _late.ContainsKey(clientId) ? ClientRoundState.Late
        : _admitted.ContainsKey(clientId) ? ClientRoundState.Admitted
        : ClientRoundState.Training;

    /// <summary>
    /// Records that the client's update goes into <paramref name="partialKey"/>'s sum. A client admitted before (its
    /// first silo never confirmed, e.g. because it died) is admitted again where its retry arrived.
    /// </summary>
    public void Admit(string clientId, string partialKey, TrainingReport training) => _admitted[clientId] = new Contribution(partialKey, training);

    /// <summary>Confirms an admitted update's add; false when the client was not admitted into that partial sum.</summary>
    public bool Deliver(string clientId, string partialKey)
    {
        if (!_admitted.TryGetValue(clientId, out var contribution) || contribution.PartialKey != partialKey) return false;
        _admitted.Remove(clientId);
        _delivered[clientId] = contribution;
        return true;
    }

    public void Reject(string clientId)
    {
        _admitted.Remove(clientId);
        _rejected.Add(clientId);
    }

    /// <summary>A straggler under modeled links: its training counts in the metrics, its update in no sum.</summary>
    public void MarkLate(string clientId, TrainingReport training)
    {
        _admitted.Remove(clientId);
        _late[clientId] = training;
    }

    /// <summary>The partial sums this attempt's updates went (or are going) into.</summary>
    public IReadOnlyList<string> PartialKeys =>
        _admitted.Values.Concat(_delivered.Values).Select(c => c.PartialKey).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Checks a collected partial sum's contributors against this record: every update delivered into it must be
    /// there, and nothing that was not admitted into it. Admitted updates it holds count as delivered. False means
    /// the sum was lost (its silo died) or mixed up, and the attempt must not be reduced.
    /// </summary>
    public bool Reconcile(string partialKey, IReadOnlyCollection<string> contributors)
    {
        var held = contributors.ToHashSet(StringComparer.Ordinal);
        if (held.Count != contributors.Count) return false;
        bool allDelivered = _delivered.Where(d => d.Value.PartialKey == partialKey).All(d => held.Contains(d.Key));
        bool nothingForeign = held.All(c => InPartial(_delivered, c, partialKey) || InPartial(_admitted, c, partialKey));
        if (!allDelivered || !nothingForeign) return false;
        foreach (string client in held) Deliver(client, partialKey);
        return true;
    }

    /// <summary>
    /// The task bytes (model download, update upload) of the updates admitted or delivered into
    /// <paramref name="partialKey"/>, as the receiving silo measured them on each client's connection and sent them
    /// with the admission: what is still known of a silo's traffic once the silo is gone.
    /// </summary>
    public TrafficSnapshot TaskTrafficInto(string partialKey) => _admitted.Values.Concat(_delivered.Values)
        .Where(c => c.PartialKey == partialKey)
        .Aggregate(default(TrafficSnapshot), (sum, c) => sum + new TrafficSnapshot(c.Training.UplinkBytes, c.Training.DownlinkBytes));

    /// <summary>Selected clients whose update is in no sum: late, missing, or admitted but never confirmed.</summary>
    public int Stragglers(IEnumerable<string> selected) => selected.Count(c => !_delivered.ContainsKey(c) && !_rejected.Contains(c));

    /// <summary>Training reports of the clients that trained this attempt and reached the coordinator: delivered and late.</summary>
    public IEnumerable<KeyValuePair<string, TrainingReport>> Reports =>
        _delivered.Select(d => KeyValuePair.Create(d.Key, d.Value.Training)).Concat(_late);

    private static bool InPartial(Dictionary<string, Contribution> contributions, string clientId, string partialKey) =>
        contributions.TryGetValue(clientId, out var c) && c.PartialKey == partialKey;
}
