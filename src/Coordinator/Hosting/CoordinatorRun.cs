using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Hosting;

/// <summary>A started coordinator host, and the wait for its federation to finish.</summary>
public sealed class CoordinatorRun(WebApplication app) : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    /// <summary>How long the federation may stay unreachable before the run fails: well beyond a silo failover.</summary>
    private static readonly TimeSpan FailoverPatience = TimeSpan.FromMinutes(5);
    private readonly long _started = Stopwatch.GetTimestamp();

    public WebApplication App => app;

    public FederationSettings Settings => app.Services.GetRequiredService<IOptions<FederationSettings>>().Value;

    public ModelSummary Model
    {
        get
        {
            var model = app.Services.GetRequiredService<CoordinatorModel>();
            // Under federated distillation the shared state is the consensus soft labels, not the --model's weights.
            return Settings.SharesKnowledge ? new ModelSummary(model.Name, null, model.ParameterCount, 0)
                : new ModelSummary(Settings.Model, Settings.HeadPool, model.ParameterCount, model.HeadParameterCount);
        }
    }

    /// <summary>Builds and starts the host; a silo or gateway port given as 0 is chosen here (<see cref="SiloPorts"/>).</summary>
    public static async Task<CoordinatorRun> StartAsync(IEnumerable<KeyValuePair<string, string?>> configuration, CancellationToken cancellationToken,
        Action<IServiceCollection>? services = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var app = CoordinatorHost.Build(SiloPorts.Resolve(configuration, out bool picked), services);
            try
            {
                await app.StartAsync(cancellationToken);
                return new CoordinatorRun(app);
            }
            catch (Exception e)
            {
                await app.DisposeAsync();
                if (!picked || attempt == SiloPorts.Attempts || !SiloPorts.IsTaken(e)) throw;
            }
        }
    }

    /// <summary>
    /// Polls the federation until it is done, reporting each round as it completes. With several silos the
    /// federation grain may be on a silo that is lost; it is unreachable until the cluster declares that silo dead
    /// and the grain comes back on a live one, so polling goes on through that gap (bounded by <see cref="FailoverPatience"/>).
    /// </summary>
    public async Task<FederationStatus> WaitUntilDoneAsync(Action<RoundMetrics> roundCompleted, CancellationToken cancellationToken)
    {
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>(Settings.FederationId);
        var unreachable = new UnreachableSince(app.Services.GetRequiredService<ILogger<CoordinatorRun>>(), Settings.FederationId);
        int reported = 0;
        while (true)
        {
            if (await unreachable.StatusOrNullAsync(grain) is { } status)
            {
                // A round being evaluated by the clients is reported once their evaluation is in its metrics.
                bool BeingEvaluated(RoundMetrics round) => status.Phase == FederationPhase.Evaluating && round.Round == status.Round;
                for (; reported < status.History.Count && !BeingEvaluated(status.History[reported]); reported++) roundCompleted(status.History[reported]);
                if (status.Phase == FederationPhase.Done) return status;
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>When the federation grain became unreachable, so a poll tolerates a failover for at most <see cref="FailoverPatience"/>.</summary>
    private sealed class UnreachableSince(ILogger logger, string federationId)
    {
        private long? _since;

        /// <summary>The federation's status; null while it is unreachable within the patience, which is then rethrown past.</summary>
        public async Task<FederationStatus?> StatusOrNullAsync(IFederationGrain grain)
        {
            try
            {
                var status = await grain.GetStatus();
                _since = null;
                return status;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                if (_since is { } since && Stopwatch.GetElapsedTime(since) > FailoverPatience) throw;
                if (_since is null) logger.LogWarning("Federation {Federation} unreachable, waiting for the cluster to recover: {Reason}", federationId, e.Message);
                _since ??= Stopwatch.GetTimestamp();
                return null;
            }
        }
    }

    /// <summary>
    /// Waits until every joined client has been told that the federation is done, at most <paramref name="grace"/>
    /// (a client that died never asks); false when the grace ran out first. With several silos, the one holding the
    /// federation grain leaves once its own wait is over, and a grain activated again would not know who was told:
    /// then this silo's wait is over too.
    /// </summary>
    public async Task<bool> WaitUntilClientsHeardDoneAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IFederationGrain>(Settings.FederationId);
        long start = Stopwatch.GetTimestamp();
        try
        {
            while (await grain.ClientsYetToHearDone() > 0)
            {
                if (Stopwatch.GetElapsedTime(start) >= grace) return false;
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            app.Services.GetRequiredService<ILogger<CoordinatorRun>>().LogInformation(
                "The federation grain's silo left after waiting for clients to hear that federation {Federation} is done: {Reason}", Settings.FederationId, e.Message);
        }
        return true;
    }

    public double WallSeconds => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    /// <summary>The status as a report records it: with the plug-in assembly that the model came from.</summary>
    public static FederationStatus ForReport(FederationStatus status) => status with { Settings = status.Settings?.WithModelAssembly() };

    /// <summary>The data the run used: the coordinator's own, and what each client reported at join.</summary>
    public DataSummary Data
    {
        get
        {
            var model = app.Services.GetRequiredService<CoordinatorModel>();
            var (source, format) = model.DataSource;
            return DataSummary.Create(source, format, app.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.DataDir,
                model.DataSpec.Classes, InputShape.Format(model.DataSpec.InputShape), model.PrepareTestSet(), app.Services.GetRequiredService<ClientDataLedger>().Snapshot());
        }
    }

    /// <summary>Writes the federation's final global model to PATH.safetensors, PATH.pt and PATH.json.</summary>
    public Task ExportAsync(FederationStatus status, string path, CancellationToken cancellationToken)
    {
        if (status.History.Count == 0) throw new InvalidOperationException("the federation completed no round: there is no trained model to export");
        var last = status.History[^1];
        var metrics = new Dictionary<string, double> { ["test_accuracy"] = last.TestAccuracy, ["test_loss"] = last.TestLoss, ["macro_f1"] = last.MacroF1 };
        if (last.FederatedEval is { } federated)
        {
            metrics["federated_accuracy"] = federated.Accuracy;
            metrics["federated_loss"] = federated.Loss;
            metrics["federated_macro_f1"] = federated.MacroF1;
        }
        // Without a test set the test figures were never measured: the export states only what was.
        foreach (string unmeasured in metrics.Where(m => double.IsNaN(m.Value)).Select(m => m.Key).ToList()) metrics.Remove(unmeasured);
        return ModelExporter.ExportAsync(app.Services.GetRequiredService<IModelStore>(), Settings, last.ModelVersion, status.History.Count, metrics, path, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
