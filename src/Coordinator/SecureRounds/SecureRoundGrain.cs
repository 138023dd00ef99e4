using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.SecureAggregation;

namespace PoolCompress.Coordinator.SecureRounds;

/// <summary>
/// A secure round attempt on the coordinator: a <see cref="SecureRoundCollector"/> fed by the members' stage
/// messages, each stage closed when every member still expected has answered or at the stage's deadline. The
/// unmasked sum goes to this silo's partial sum as one sum of the survivors' updates, which the federation grain
/// then reduces as any other; a failed round rejects its members, so the federation runs the round again.
/// Reentrant: members wait for a stage to close while others submit.
/// </summary>
[Reentrant]
public sealed class SecureRoundGrain(
    IGrainFactory grains, CoordinatorModel model, SecureSupports supports, IOptions<FederationSettings> settings, IOptions<CoordinatorOptions> options,
    ILocalSiloDetails localSilo, TimeProvider time, ILogger<SecureRoundGrain> logger) : Grain, ISecureRoundGrain
{
    private readonly ChangeSignal _changes = new(time);
    private readonly HashSet<int> _revealers = [];
    private SecureRoundTicket? _ticket;
    private SecureRoundDesign _design = null!;
    private SecureRoundCollector _collector = null!;
    private string? _failure;
    private IGrainTimer? _deadline;

    private SecureStage Stage => _collector?.Stage ?? SecureStage.Advertising;

    public Task<string?> Advertise(SecureRoundTicket ticket, string clientId, AdvertisedKeys keys) => Take(ticket, clientId, point =>
    {
        _collector.AcceptAdvertisement(point, new Advertisement(keys.MaskPublicKey, keys.ChannelPublicKey, keys.Commitment));
        return _collector.Advertised.Count == ticket.Members.Length;
    });

    public Task<string?> Share(SecureRoundTicket ticket, string clientId, Dictionary<int, byte[]> envelopes) => Take(ticket, clientId, point =>
    {
        _collector.AcceptShares(point, envelopes);
        return _collector.Sharers.Count == _collector.Advertised.Count;
    });

    public Task<string> PartialKey() => Task.FromResult(PartialAggregateKey.For(settings.Value.FederationId, localSilo.SiloAddress));

    public Task<string?> Upload(SecureRoundTicket ticket, string clientId, uint[] words) => Take(ticket, clientId, point =>
    {
        _collector.AcceptMaskedUpload(point, words);
        return _collector.Survivors.Count == _collector.Sharers.Count;
    });

    public Task<string?> Reveal(SecureRoundTicket ticket, string clientId, RevealedShareView[] shares) => Take(ticket, clientId, point =>
    {
        _collector.AcceptReveal(point, shares.Select(s => new RevealedShare(s.Owner, s.MaskKey ? ShareKind.MaskKey : ShareKind.SelfSeed, s.Value)).ToArray());
        _revealers.Add(point);
        return _revealers.Count == _collector.Survivors.Count;
    });

    public async Task<SecureRoundView> WaitPast(int stage, TimeSpan timeout, string clientId)
    {
        if ((int)Stage <= stage) await _changes.WaitAsync(_changes.Version, timeout);
        return View(_ticket?.PointOf(clientId) ?? 0);
    }

    /// <summary>
    /// Takes one member's message for the stage in progress; closes the stage when <paramref name="accept"/> says
    /// every expected member has answered. A refusal is returned as its reason, and changes nothing.
    /// </summary>
    private async Task<string?> Take(SecureRoundTicket ticket, string clientId, Func<int, bool> accept)
    {
        Open(ticket);
        int point = ticket.PointOf(clientId);
        if (point == 0) return $"client '{clientId}' is not a member of this secure round";
        try
        {
            if (accept(point)) await CloseStage();
            return null;
        }
        catch (SecureAggregationException e)
        {
            return e.Message;
        }
    }

    private void Open(SecureRoundTicket ticket)
    {
        if (_ticket is not null) return;
        _ticket = ticket;
        _design = SecureRoundDesign.For(ticket, settings.Value);
        _collector = new SecureRoundCollector(_design.Plan, ticket.SupportCount);
        var stage = options.Value.SecureStageTimeout;
        var advertising = ticket.Deadline - time.GetUtcNow() - 3 * stage;
        ArmDeadline(advertising > stage ? advertising : stage);
    }

    private void ArmDeadline(TimeSpan dueTime)
    {
        _deadline?.Dispose();
        var stage = Stage;
        _deadline = this.RegisterGrainTimer(() => Stage == stage ? CloseStage() : Task.CompletedTask,
            new GrainTimerCreationOptions(dueTime, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task CloseStage()
    {
        try
        {
            await Advance();
        }
        catch (SecureAggregationException e)
        {
            await Fail(e.Message);
        }
        _changes.Signal();
    }

    private async Task Advance()
    {
        switch (Stage)
        {
            case SecureStage.Advertising: _collector.CloseAdvertising(); break;
            case SecureStage.Sharing: _collector.CloseSharing(); break;
            case SecureStage.Uploading: _collector.CloseUploading(); break;
            case SecureStage.Unmasking: await Deliver(_collector.Finish()); return;
            default: return;
        }
        ArmDeadline(options.Value.SecureStageTimeout);
    }

    /// <summary>The unmasked sum into this silo's partial sum, each survivor's upload confirmed there, the other members rejected.</summary>
    private async Task Deliver(uint[] sum)
    {
        _deadline?.Dispose();
        var ticket = _ticket!;
        string key = await PartialKey();
        var survivors = _collector.Survivors.Order().Select(ticket.MemberAt).ToArray();
        var verdict = await grains.GetGrain<IPartialAggregateGrain>(key).AddSum(ticket.Attempt, new Immutable<PartialSum>(await DequantizedAsync(sum, survivors)));
        if (verdict != UpdateVerdict.Accepted) throw new SecureAggregationException($"the round's partial sum refused the unmasked sum ({verdict})");
        foreach (var survivor in survivors) await Federation.ConfirmUpdate(survivor, ticket.Attempt, key);
        await RejectAllBut(survivors, "dropped out of the secure round before its masked upload");
        logger.LogInformation("Secure {Attempt}: the sum of {Survivors} masked uploads unmasked", ticket.Attempt, survivors.Length);
    }

    private async Task<PartialSum> DequantizedAsync(uint[] sum, string[] survivors)
    {
        var dense = new double[model.ParameterCount];
        var support = (await supports.ForAsync(_ticket!)).Coordinates;
        for (int j = 0; j < support.Length; j++)
            dense[support[j]] = (double)_ticket!.Space.ToSigned(sum[j]) * _design.Quantizer.Scale;
        return new PartialSum(dense, survivors.Length, survivors, 0);
    }

    private async Task Fail(string reason)
    {
        _deadline?.Dispose();
        _failure = reason;
        logger.LogWarning("Secure {Attempt} failed: {Reason}", _ticket!.Attempt, reason);
        await RejectAllBut([], $"secure round failed: {reason}");
    }

    private async Task RejectAllBut(string[] kept, string reason)
    {
        foreach (var member in _ticket!.Members.Except(kept, StringComparer.Ordinal))
            await Federation.RejectUpdate(member, _ticket.Attempt.Round, reason);
    }

    private IFederationGrain Federation => grains.GetGrain<IFederationGrain>(_ticket!.FederationId);

    private SecureRoundView View(int point) => _collector is null
        ? new SecureRoundView((int)SecureStage.Advertising, null, [], [], [], [], [])
        : new SecureRoundView((int)Stage, _failure,
            _collector.Advertised.ToDictionary(a => a.Key, a => new AdvertisedKeys(a.Value.MaskPublicKey, a.Value.ChannelPublicKey, a.Value.SelfSeedCommitment)),
            [.. _collector.Sharers], Stage > SecureStage.Sharing && point > 0 ? _collector.SharesFor(point).ToDictionary() : [],
            [.. _collector.Survivors], [.. _collector.Dropped]);
}
