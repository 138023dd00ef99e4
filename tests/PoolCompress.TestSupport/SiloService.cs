using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;

namespace PoolCompress.TestSupport;

/// <summary>What a silo's gRPC service does with a client's update, done straight on the grains of a test coordinator.</summary>
internal static class SiloService
{
    public static readonly TrainingReport Training = new(0.5, 1, 0, 0, 0);

    public static string LocalKey(TestCoordinator coordinator) =>
        PartialAggregateKey.For("default", coordinator.App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);

    public static Immutable<float[]> Update(TestCoordinator coordinator, float value) =>
        new(Enumerable.Repeat(value, coordinator.App.Services.GetRequiredService<CoordinatorModel>().ParameterCount).ToArray());

    /// <summary>Admission, the add to this silo's partial sum and confirmation, each asserted to succeed.</summary>
    public static async Task ContributeAsync(TestCoordinator coordinator, string clientId, RoundAttempt expected, long baseModelVersion = 1)
    {
        string key = LocalKey(coordinator);
        var admission = await coordinator.Federation.AdmitUpdate(clientId, expected.Round, baseModelVersion, key, Training);
        Assert.Equal(UpdateVerdict.Accepted, admission.Verdict);
        Assert.Equal(expected, admission.RoundAttempt);
        var partial = coordinator.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IPartialAggregateGrain>(key);
        Assert.Equal(UpdateVerdict.Accepted, await partial.Add(admission.RoundAttempt, clientId, admission.Weight, Update(coordinator, 0.5f)));
        Assert.Equal(UpdateVerdict.Accepted, await coordinator.Federation.ConfirmUpdate(clientId, admission.RoundAttempt, key));
    }
}
