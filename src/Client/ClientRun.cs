using Microsoft.Extensions.Logging;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// One client's run against its coordinator, the transport loop: fetch a task, bring the held model up to the task's
/// version, hand it to the <see cref="ClientApp"/> to fit or evaluate, pass a fit's update through the
/// <see cref="UpdateChain"/> and upload it (in a secure round, through <see cref="SecureUpload"/>), until the
/// coordinator says done.
/// </summary>
internal sealed class ClientRun(
    ClientOptions options, Dataset shard, CoordinatorLink link, IClientApp app, UpdateChain chain, IClientStateStore state, ModelBlueprint blueprint,
    FederationConfig config, ILogger logger, SecureUpload secure)
{
    private readonly ModelLayout _layout = blueprint.Layout;
    private readonly ClientTally _tally = new(options.ClientId);

    private readonly float _prediction = DownlinkPredictionOf(config);
    private readonly GradualPruning? _pruning = PruningOf(config);

    // Held between rounds only when the state store says so; otherwise a client holds a model only while active.
    private readonly HeldModel? _kept = state.HoldsGlobalModel ? HeldModel.Initial(blueprint, DownlinkPredictionOf(config), PruningOf(config)) : null;
    private readonly float[]? _keptUpdate = state.HoldsGlobalModel ? new float[blueprint.Layout.TotalLength] : null;
    private FederationConfig _config = config;
    private bool _lastPayloadFit = true;

    /// <summary>
    /// The model the client states it holds. One that keeps none between rounds can rebuild the seeded initial model
    /// (version 1) at no cost, so it asks from there and takes the downlink steps since, a fraction of the whole model;
    /// after a payload that did not fit it asks for the whole model once.
    /// </summary>
    private (long Version, ulong Hash) Known =>
        _kept is { } kept ? (kept.Version, kept.Hash)
        : _lastPayloadFit ? (HeldModel.InitialVersion, blueprint.InitialHash)
        : (0, 0);

    public async Task<ClientTally> RunAsync(CancellationToken cancellationToken)
    {
        while (await StepAsync(cancellationToken))
        {
        }
        return _tally;
    }

    /// <summary>Answers one task; false once the coordinator says the federation is done.</summary>
    private async Task<bool> StepAsync(CancellationToken cancellationToken)
    {
        var (header, payload, active) = await link.FetchTaskAsync(_layout, Known, cancellationToken);
        if (header is null)
        {
            _config = await link.JoinAsync(shard, cancellationToken);
            return true;
        }
        if (header.Action == TaskAction.Done) return false;
        if (header.Action is not (TaskAction.Train or TaskAction.Evaluate))
        {
            await Task.Delay(Math.Max(header.RetryAfterMs, 10), cancellationToken);
            return true;
        }
        UnacknowledgedUpdate? sent;
        using (active) sent = await AnswerAsync(header, payload, cancellationToken);
        if (sent is not null) _tally.Pushed(sent, await SendAsync(header, sent, cancellationToken));
        return true;
    }

    /// <summary>Pushes the update, or, in a secure round, masks it in the secure stages; false when it was refused.</summary>
    private Task<bool> SendAsync(TaskHeader task, UnacknowledgedUpdate sent, CancellationToken cancellationToken) =>
        task.Secure is null ? link.PushAsync(sent.Header, sent.Payload, cancellationToken) : secure.SendAsync(sent, cancellationToken);

    /// <summary>The update a task asks for; null when none goes up (an evaluation, or differences that did not fit the model held).</summary>
    private async Task<UnacknowledgedUpdate?> AnswerAsync(TaskHeader header, byte[] payload, CancellationToken cancellationToken)
    {
        var held = _kept ?? (_lastPayloadFit ? HeldModel.Initial(blueprint, _prediction, _pruning) : HeldModel.Empty(_layout, _prediction, _pruning));
        _lastPayloadFit = held.TryApply(header, payload);
        if (!_lastPayloadFit)
        {
            logger.LogWarning("{Client}: the differences to model version {Version} did not fit the model held; fetching the whole model",
                options.ClientId, header.ModelVersion);
            return null;
        }
        _tally.Received(wholeModel: header.BaseModelVersion == 0);
        if (header.Action == TaskAction.Evaluate)
        {
            await EvaluateAsync(header, held.Weights, cancellationToken);
            return null;
        }
        return (header.Secure is null ? Resend(header) : null) ?? await FitAsync(header, held.Weights, cancellationToken);
    }

    /// <summary>The update already sent for this round, when the coordinator lost it and asks for the round on the same model again.</summary>
    private UnacknowledgedUpdate? Resend(TaskHeader header)
    {
        if (state.Unacknowledged(options.ClientId) is not { } unacknowledged || !unacknowledged.IsAskedAgainBy(header)) return null;
        logger.LogInformation("{Client}: round {Round} asked for again on model version {Version}; resending the update already sent",
            options.ClientId, header.Round, header.ModelVersion);
        return unacknowledged;
    }

    private async Task<UnacknowledgedUpdate?> FitAsync(TaskHeader header, float[] global, CancellationToken cancellationToken)
    {
        var task = new FitTask(_config, header, TrainingSeed.Derive(_config.Seed, options.ClientId, header.Round));
        logger.LogInformation("{Client}: training round {Round} on model version {Version}", options.ClientId, header.Round, header.ModelVersion);
        var fit = await app.FitAsync(global, task, _keptUpdate ?? new float[_layout.TotalLength], cancellationToken);
        if (header.Secure is null) return chain.Pass(fit, global, task, app.Data, shard.Count);
        chain.Filter(fit, global, task);
        return secure.Prepare(fit.Update, task, chain.HeaderFor(fit, task, shard.Count));
    }

    /// <summary>Scores the global model on the validation data and reports it; a client without validation data reports 0 examples.</summary>
    private async Task EvaluateAsync(TaskHeader header, float[] global, CancellationToken cancellationToken)
    {
        var report = new EvaluationReport { ClientId = options.ClientId, Round = header.Round, ModelVersion = header.ModelVersion };
        if (await app.EvaluateAsync(global, _config, cancellationToken) is { } result)
        {
            report.Examples = result.Samples;
            report.Loss = result.Loss;
            report.Accuracy = result.Accuracy;
            report.MacroF1 = result.MacroF1;
            report.PerClassRecall.Add(result.PerClassRecall);
            report.ClassCounts.Add(result.ClassCounts ?? []);
            if (result.Auc is { } auc) report.Auc = auc;
            logger.LogInformation("{Client}: model version {Version} scores {Accuracy:F4} on {Examples} validation samples",
                options.ClientId, header.ModelVersion, result.Accuracy, result.Samples);
        }
        await link.ReportEvaluationAsync(report, cancellationToken);
    }

    private static float DownlinkPredictionOf(FederationConfig config) => CodecSpec.Parse(config.DownlinkCodec).Prediction;

    /// <summary>The federation's pruning during training; a schedule of no rounds is the coordinator's error, refused here too.</summary>
    internal static GradualPruning? PruningOf(FederationConfig config) =>
        config.PruneSparsity is > 0 and < 1 && config.PruneRounds >= 1 ? new GradualPruning(config.PruneSparsity, config.PruneRounds)
        : config.PruneSparsity == 0 ? null
        : throw new InvalidDataException($"the coordinator's pruning schedule (sparsity {config.PruneSparsity}, {config.PruneRounds} rounds) is not one this client can follow");
}
