using PoolCompress.Contracts;
using PoolCompress.Coordinator.Hosting;
using PoolCompress.Reporting;

namespace PoolCompress.Simulation;

/// <summary>
/// A coordinator run's summary.json, for the simulation and the <c>coordinator</c> command alike. Here rather than on
/// <see cref="CoordinatorRun"/> because the coordinator does not reference the reports.
/// </summary>
public static class CoordinatorRunSummaries
{
    /// <summary>The summary of <paramref name="run"/> at <paramref name="status"/>, naming a plug-in model's assembly.</summary>
    public static RunSummary SummaryAt(this CoordinatorRun run, FederationStatus status) =>
        RunSummary.From(CoordinatorRun.ForReport(status), run.Model, run.WallSeconds, run.Data);
}
