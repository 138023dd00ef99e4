using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>
/// Once the silo is up, loads the test set (so bad data stops start-up, not round 1), opens this silo's partial
/// aggregate of the federation (so it lives here), and creates or resumes the configured federation.
/// </summary>
internal sealed class FederationBootstrapper(
    IGrainFactory grains,
    ILocalSiloDetails localSilo,
    CoordinatorModel model,
    IOptions<FederationSettings> settings,
    ILogger<FederationBootstrapper> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int testSamples = model.PrepareTestSet();
        var s = settings.Value;
        await grains.GetGrain<IPartialAggregateGrain>(PartialAggregateKey.For(s.FederationId, localSilo.SiloAddress)).Open();
        var status = await grains.GetGrain<IFederationGrain>(s.FederationId).Configure(s);
        logger.LogInformation("Federation {Federation}: {Phase} at round {Round}, {Parameters} parameters ({Head} in the head), {Test} test samples",
            s.FederationId, status.Phase, status.Round, model.ParameterCount, model.HeadParameterCount, testSamples);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
