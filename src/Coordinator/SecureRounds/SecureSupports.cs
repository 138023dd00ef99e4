using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>A secure round's support: its coordinates, and how the plan names them (empty: drawn from the round's seed).</summary>
public sealed record ChosenSupport(int[] Coordinates, byte[] Named);

/// <summary>
/// Each secure round attempt's support, chosen once per silo from public information only, so that every silo, the
/// plan each member is told and the unmasked sum agree. Under secure-follow the support follows the global model's
/// last step, from the version before the one the round trains from to that one (what every client downloads), and
/// the plan names its coordinates; the rest, and the whole support when there is no step yet, is drawn from the
/// round's seed (<see cref="SharedSupport"/>).
/// </summary>
public sealed class SecureSupports(IModelStore store, CoordinatorModel model, IOptions<FederationSettings> settings)
{
    private const int RoundsKept = 2;
    private readonly ConcurrentDictionary<RoundAttempt, Lazy<Task<ChosenSupport>>> _chosen = new();

    public Task<ChosenSupport> ForAsync(SecureRoundTicket ticket)
    {
        var support = _chosen.GetOrAdd(ticket.Attempt, _ => new Lazy<Task<ChosenSupport>>(() => ChooseAsync(ticket)));
        foreach (var old in _chosen.Keys.Where(a => a.Round <= ticket.Attempt.Round - RoundsKept)) _chosen.TryRemove(old, out _);
        return support.Value;
    }

    private async Task<ChosenSupport> ChooseAsync(SecureRoundTicket ticket)
    {
        var s = settings.Value;
        ulong roundSeed = SecureRoundDesign.For(ticket, s).RoundSeed;
        int dimension = model.ParameterCount, followed = (int)Math.Round(s.SecureFollow * ticket.SupportCount);
        if (followed > 0 && ticket.SupportCount < dimension && await LastStepAsync(ticket.ModelVersion) is { } step)
        {
            var coordinates = SharedSupport.Follow(step, ticket.SupportCount, followed, roundSeed);
            return new ChosenSupport(coordinates, SupportList.Encode(coordinates));
        }
        return new ChosenSupport(SharedSupport.Choose(dimension, ticket.SupportCount, roundSeed), []);
    }

    /// <summary>The global model's step to <paramref name="version"/>; null for the first version or when the store no longer holds the one before.</summary>
    private async Task<float[]?> LastStepAsync(long version)
    {
        string series = ModelSeries.Global(settings.Value.FederationId);
        if (version < 2 || await store.LoadAsync(series, version) is not { } current || await store.LoadAsync(series, version - 1) is not { } previous)
            return null;
        var step = new float[current.Length];
        for (int i = 0; i < step.Length; i++) step[i] = current[i] - previous[i];
        return step;
    }
}
