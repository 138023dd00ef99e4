using PoolCompress.Contracts;
using PoolCompress.Reporting;

namespace PoolCompress.Simulation;

/// <summary>Follows a federation run: a terminal display, a study's progress bar, or nothing.</summary>
public interface IFederationObserver
{
    void Started(ModelSummary model, FederationSettings settings, int trainSamples, string dataSource);

    void RoundCompleted(RoundMetrics round);
}
