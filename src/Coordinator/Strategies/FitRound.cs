namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// What a strategy chooses a round's clients from: the joined clients still in the selection pool, how many the
/// round asks for (over-selection included), and the seed, round and attempt that make the choice repeatable.
/// </summary>
public sealed record FitRound(IReadOnlyCollection<string> Pool, int Count, long Seed, int Round, int Attempt);

/// <summary>A client chosen to train, with the config it is sent on its task (<see cref="Learning.FitConfig"/>).</summary>
public sealed record ClientFit(string ClientId, IReadOnlyDictionary<string, string> Config);

/// <summary>
/// What a strategy chooses a round's evaluators from: the round's selected clients, every joined client, and the
/// federation's --eval-clients choice.
/// </summary>
public sealed record EvaluationRound(int Round, IReadOnlyCollection<string> Selected, IReadOnlyCollection<string> Joined, string EvalClients);
