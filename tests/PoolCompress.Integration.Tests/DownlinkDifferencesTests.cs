using Microsoft.Extensions.Options;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Coordinator;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Coordinator.Models;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Downlink payloads for clients that skipped rounds: the differences since the model a client holds, applied by the
/// client's own <see cref="HeldModel"/>, against models published as the federation grain publishes them; with plain
/// steps and with steps that correct a prediction (<c>;predict=</c>).
/// </summary>
public abstract class DownlinkDifferencesTests : IDisposable
{
    private const int Versions = 6;
    private readonly string _storeDir = Directory.CreateTempSubdirectory("downlink-").FullName;
    private readonly IOptions<FederationSettings> _settings;
    private readonly CoordinatorModel _model;
    private readonly DownlinkEncoder _downlink;
    private readonly DirectoryModelStore _store;

    protected DownlinkDifferencesTests(string downlinkCodec)
    {
        _settings = Options.Create(new FederationSettings { Dataset = "synthetic", Seed = 5, DownlinkCodec = downlinkCodec });
        _model = new CoordinatorModel(_settings, Options.Create(new CoordinatorOptions()));
        _downlink = new DownlinkEncoder(_model, _settings);
        _store = new DirectoryModelStore(_storeDir);
    }

    [Fact]
    public async Task A_client_that_skipped_rounds_gets_the_differences_and_ends_bit_identical_to_the_published_model()
    {
        var payloads = Payloads(versionsKept: 64);
        await PublishAsync(payloads);
        var client = ClientFromSeed();
        var toSecond = await payloads.GetAsync(2, client.Version, client.Hash);
        Assert.True(client.TryApply(Header(2, toSecond), toSecond.Bytes));

        var payload = await payloads.GetAsync(Versions, client.Version, client.Hash);

        Assert.Equal(2, payload.BaseVersion);
        Assert.Equal(Versions - 2, payload.DifferenceBytes.Count);
        Assert.True(payload.Bytes.Length < (await payloads.GetAsync(Versions, 0, 0)).Bytes.Length / 4,
            $"{payload.Bytes.Length} bytes of differences are not much less than the whole model");
        await AssertEndsOnThePublishedModelAsync(client, payload);
    }

    [Fact]
    public async Task The_initial_model_a_client_builds_from_the_seed_takes_differences_and_a_client_holding_the_task_model_gets_nothing()
    {
        var payloads = Payloads(versionsKept: 64);
        await PublishAsync(payloads);
        var client = ClientFromSeed();

        var first = await payloads.GetAsync(1, client.Version, client.Hash);
        Assert.Empty(first.Bytes);
        Assert.Equal(1, first.BaseVersion);
        Assert.True(client.TryApply(Header(1, first), first.Bytes));

        var later = await payloads.GetAsync(Versions, client.Version, client.Hash);
        Assert.Equal(1, later.BaseVersion);
        await AssertEndsOnThePublishedModelAsync(client, later);
    }

    [Fact]
    public async Task A_client_that_downloaded_the_whole_model_follows_the_later_steps_to_the_published_model()
    {
        var payloads = Payloads(versionsKept: 64);
        await PublishAsync(payloads);
        var client = ClientFromSeed();
        var whole = await payloads.GetAsync(Versions - 2, 0, 0);
        Assert.Equal(0, whole.BaseVersion);
        Assert.True(client.TryApply(Header(Versions - 2, whole), whole.Bytes));

        var steps = await payloads.GetAsync(Versions, client.Version, client.Hash);

        Assert.Equal(Versions - 2, steps.BaseVersion);
        await AssertEndsOnThePublishedModelAsync(client, steps);
    }

    [Fact]
    public async Task Without_a_downlink_codec_a_client_holding_the_task_s_version_gets_nothing_and_any_other_client_the_whole_model()
    {
        var settings = Options.Create(new FederationSettings { Dataset = "synthetic", Seed = 5 });
        var downlink = new DownlinkEncoder(_model, settings);
        var payloads = new GlobalModelPayloads(_store, downlink, new DownlinkSteps(_store, downlink, settings, Options.Create(new CoordinatorOptions())), settings);
        var weights = _model.CreateInitialWeights();
        await _store.SaveAsync(ModelSeries.Global(settings.Value.FederationId), 1, weights);
        for (int i = 0; i < weights.Length; i++) weights[i] += 0.001f * (i % 7);
        await _store.SaveAsync(ModelSeries.Global(settings.Value.FederationId), 2, weights);
        var client = ClientFromSeed();

        var initial = await payloads.GetAsync(1, client.Version, client.Hash);
        var second = await payloads.GetAsync(2, client.Version, client.Hash);
        Assert.True(client.TryApply(Header(2, second), second.Bytes));
        var held = await payloads.GetAsync(2, client.Version, client.Hash);
        var otherModel = await payloads.GetAsync(2, client.Version, client.Hash + 1);

        Assert.Equal((0, 1L), (initial.Bytes.Length, initial.BaseVersion));
        Assert.Equal(0L, second.BaseVersion);
        Assert.InRange(second.Bytes.Length, weights.Length * 4, weights.Length * 4 + 4096);
        Assert.Equal(weights, client.Weights);
        Assert.Equal((0, 2L, ModelHash.Of(weights)), (held.Bytes.Length, held.BaseVersion, held.Hash));
        Assert.Equal(second.Bytes, otherModel.Bytes);
    }

    [Theory]
    [InlineData(2, false, 3)]   // the version it holds is older than the differences kept
    [InlineData(2, true, 64)]   // it holds another model than the published version it names
    [InlineData(Versions + 1, false, 64)]
    [InlineData(-1, false, 64)]
    public async Task A_client_gets_the_whole_model_when_the_differences_from_what_it_holds_are_gone_or_never_existed(
        long knownVersion, bool otherModel, int versionsKept)
    {
        var payloads = Payloads(versionsKept);
        await PublishAsync(payloads);
        ulong hash = ModelHash.Of(await PublishedAsync(Math.Clamp(knownVersion, 1, Versions))) + (otherModel ? 1UL : 0);

        var payload = await payloads.GetAsync(Versions, knownVersion, hash);

        Assert.Equal(0, payload.BaseVersion);
        var client = ClientFromSeed();
        await AssertEndsOnThePublishedModelAsync(client, payload);
    }

    [Fact]
    public async Task A_restarted_coordinator_sends_the_same_differences_from_its_model_store()
    {
        var running = Payloads(versionsKept: 64);
        await PublishAsync(running);
        var client = ClientFromSeed();
        var before = await running.GetAsync(Versions, client.Version, client.Hash);

        var restarted = Payloads(versionsKept: 64);
        var after = await restarted.GetAsync(Versions, client.Version, client.Hash);

        Assert.Equal(before.Bytes, after.Bytes);
        Assert.Equal(1, after.BaseVersion);
        await AssertEndsOnThePublishedModelAsync(client, after);
    }

    [Fact]
    public async Task A_client_refuses_differences_that_do_not_add_up_or_end_on_another_model_and_then_holds_nothing()
    {
        var payloads = Payloads(versionsKept: 64);
        await PublishAsync(payloads);
        var payload = await payloads.GetAsync(Versions, HeldModel.InitialVersion, ClientFromSeed().Hash);
        var shortList = Header(Versions, payload);
        shortList.DifferenceBytes.RemoveAt(0);
        var otherHash = Header(Versions, payload);
        otherHash.ModelHash++;
        var otherBase = Header(Versions, payload);
        otherBase.BaseModelVersion = 2;

        foreach (var header in new[] { shortList, otherHash, otherBase })
        {
            var client = ClientFromSeed();
            Assert.False(client.TryApply(header, payload.Bytes));
            Assert.Equal(0, client.Version);
            Assert.Equal(0UL, client.Hash);
        }
    }

    [Fact]
    public void A_downlink_codec_with_momentum_which_follows_one_clients_updates_is_refused()
    {
        const string downlinkCodec = "topk:0.01:global:momentum=0.5";
        var settings = new FederationSettings { Dataset = "synthetic", DownlinkCodec = downlinkCodec };

        var result = new FederationSettingsValidator().Validate(null, settings);

        Assert.True(result.Failed);
        Assert.Contains($"downlink codec '{downlinkCodec}': momentum follows one client's successive updates", result.FailureMessage);
    }

    [Fact]
    public void A_downlink_warm_up_counts_versions_so_a_step_is_the_same_bytes_however_often_it_is_encoded()
    {
        var settings = Options.Create(new FederationSettings { Dataset = "synthetic", DownlinkCodec = "topk:0.01:global:warmup=2>q:8" });
        Assert.False(new FederationSettingsValidator().Validate(null, settings.Value).Failed);
        var model = new CoordinatorModel(settings, Options.Create(new CoordinatorOptions()));
        var published = model.CreateInitialWeights();
        var target = published.Select((w, i) => w + MathF.Sin(i)).ToArray();
        var encoder = new DownlinkEncoder(model, settings);

        int Kept(long version) => encoder.Apply(published, published, encoder.Difference(target, published, published, version), version).Where((w, i) => w != published[i]).Count();

        Assert.Equal(encoder.Difference(target, published, published, 3), encoder.Difference(target, published, published, 3));
        Assert.True(Kept(2) > Kept(3) && Kept(3) > Kept(4), $"steps to versions 2, 3, 4 keep {Kept(2)}, {Kept(3)}, {Kept(4)} elements");
        Assert.Equal(Kept(4), Kept(5));
    }

    /// <summary>Applies a payload for the newest version as the client does, and compares bits with what the coordinator published.</summary>
    protected async Task AssertEndsOnThePublishedModelAsync(HeldModel client, ModelPayload payload)
    {
        Assert.True(client.TryApply(Header(Versions, payload), payload.Bytes));
        Assert.Equal(await PublishedAsync(Versions), client.Weights);
        Assert.Equal(Versions, client.Version);
    }

    protected GlobalModelPayloads Payloads(int versionsKept)
    {
        var options = Options.Create(new CoordinatorOptions { DownlinkVersionsKept = versionsKept });
        return new GlobalModelPayloads(_store, _downlink, new DownlinkSteps(_store, _downlink, _settings, options), _settings);
    }

    /// <summary>Publishes versions 2..<see cref="Versions"/> as the federation grain does, each a lossy step towards a moving global model.</summary>
    protected async Task PublishAsync(GlobalModelPayloads payloads)
    {
        string federation = _settings.Value.FederationId;
        var global = _model.CreateInitialWeights();
        var published = (float[])global.Clone();
        var previous = published;
        await _store.SaveAsync(ModelSeries.Global(federation), 1, global);
        await _store.SaveAsync(ModelSeries.Published(federation), 1, published);
        var random = new Random(7);
        for (int version = 2; version <= Versions; version++)
        {
            for (int i = 0; i < global.Length; i++) global[i] += (float)(random.NextDouble() - 0.5) * 0.01f;
            (previous, published) = (published, _downlink.Apply(published, previous, _downlink.Difference(global, published, previous, version), version));
            await _store.SaveAsync(ModelSeries.Global(federation), version, global);
            await _store.SaveAsync(ModelSeries.Published(federation), version, published);
            await payloads.GetAsync(version, 0, 0);
        }
    }

    private async Task<float[]> PublishedAsync(long version) =>
        (await _store.LoadAsync(ModelSeries.Published(_settings.Value.FederationId), version))!;

    protected HeldModel ClientFromSeed(float? prediction = null)
    {
        using var network = ModelFactory.Create(_settings.Value.Model, null, _settings.Value.Seed, _model.DataSpec);
        var weights = new float[network.ParameterCount];
        network.GetWeights(weights);
        return new HeldModel(_model.Layout, weights, prediction ?? CodecSpec.Parse(_settings.Value.DownlinkCodec).Prediction);
    }

    protected static TaskHeader Header(long version, ModelPayload payload) => new()
    {
        Action = TaskAction.Train,
        ModelVersion = version,
        BaseModelVersion = payload.BaseVersion,
        PayloadBytes = payload.Bytes.Length,
        ModelHash = payload.Hash,
        DifferenceBytes = { payload.DifferenceBytes.Select(b => (long)b) },
    };

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_storeDir, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class PlainDownlinkDifferencesTests() : DownlinkDifferencesTests("topk:0.05:global>q:8");

public sealed class PredictedDownlinkDifferencesTests() : DownlinkDifferencesTests("topk:0.05:global>q:8;predict=0.5")
{
    [Fact]
    public async Task A_client_that_does_not_predict_cannot_follow_steps_after_the_first_and_then_holds_nothing()
    {
        var payloads = Payloads(versionsKept: 64);
        await PublishAsync(payloads);
        var client = ClientFromSeed(prediction: 0);

        var second = await payloads.GetAsync(2, client.Version, client.Hash);
        Assert.True(client.TryApply(Header(2, second), second.Bytes));
        var third = await payloads.GetAsync(3, client.Version, client.Hash);

        Assert.False(client.TryApply(Header(3, third), third.Bytes));
        Assert.Equal(0, client.Version);
    }

    [Fact]
    public void An_uplink_codec_with_a_prediction_is_refused_as_there_is_no_published_model_up_there()
    {
        var settings = new FederationSettings { Dataset = "synthetic", Codec = "topk:0.02:global>ternary;predict=0.5" };

        var result = new FederationSettingsValidator().Validate(null, settings);

        Assert.True(result.Failed);
        Assert.Contains("codec 'topk:0.02:global>ternary;predict=0.5': predict= extrapolates the published model", result.FailureMessage);
    }
}
