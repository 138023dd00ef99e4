namespace PoolCompress.Integration.Tests;

/// <summary>
/// Tests that run with no other test beside them: those whose outcome depends on timing (round deadlines of a few
/// seconds, upload grace periods, one-second membership probes), those that dial ports picked before the process
/// binds them (Redis, silo and metrics ports, a port that must stay unbound), and federations of processes that keep
/// both cores busy for minutes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
