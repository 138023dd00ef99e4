using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Once the silo is up, loads the test set (so bad data stops start-up, not round 1) and creates or resumes the
/// configured federation.
/// </summary>
internal sealed class FederationBootstrapper(
    IGrainFactory grains,
    CoordinatorModel model,
    IOptions<FederationSettings> settings,
    ILogger<FederationBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int testSamples = model.PrepareTestSet();
        var s = settings.Value;
        var status = await grains.GetGrain<IFederationGrain>(s.FederationId).Configure(s);
        logger.LogInformation("Federation {Federation}: {Phase} at round {Round}, {Parameters} parameters ({Head} in the head), {Test} test samples",
            s.FederationId, status.Phase, status.Round, model.ParameterCount, model.HeadParameterCount, testSamples);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
