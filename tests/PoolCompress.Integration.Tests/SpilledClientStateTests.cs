using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Models;
using PoolCompress.Protos.V1;

namespace PoolCompress.Integration.Tests;

/// <summary>
/// Clients whose error-feedback state is spilled to disk between their rounds (<see cref="SpilledClientState"/>)
/// continue exactly as clients that keep it in memory, and keep the update awaiting acknowledgement there too.
/// </summary>
public sealed class SpilledClientStateTests : IDisposable
{
    private const int Rounds = 3;
    private readonly string _directory = Directory.CreateTempSubdirectory("poolcompress-state-").FullName;

    [Fact]
    public void A_spilled_residual_comes_back_bit_for_bit()
    {
        var layout = new ModelLayout([new TensorInfo("w", [40, 50])]);
        var codec = CodecSpec.Parse("topk:0.02>q:4");
        var store = new SpilledClientState(_directory);
        var inMemory = new UpdateEncoder(layout, codec);
        var update = Enumerable.Range(0, layout.TotalLength).Select(i => MathF.Sin(i * 0.37f)).ToArray();

        var spilled = store.Restore("client-0001", () => new UpdateEncoder(layout, codec));
        byte[] encoded = spilled.Encode(update, 7);
        Assert.Equal(inMemory.Encode(update, 7), encoded);
        store.Keep("client-0001", spilled, Sent(1, encoded));
        var restored = store.Restore("client-0001", () => new UpdateEncoder(layout, codec));

        Assert.Equal(Bits(inMemory.Residual), Bits(restored.Residual));
        Assert.Contains(Bits(restored.Residual), bits => bits != 0);
        Assert.Equal(inMemory.Encode(update, 8), restored.Encode(update, 8));
    }

    [Fact]
    public void A_state_file_of_another_model_is_refused_naming_the_file()
    {
        var codec = CodecSpec.Parse("topk:0.02>q:4");
        var store = new SpilledClientState(_directory);
        var small = new UpdateEncoder(new ModelLayout([new TensorInfo("w", [10, 20])]), codec);
        store.Keep("client-0002", small, Sent(1, small.Encode(new float[200])));

        var error = Assert.Throws<InvalidDataException>(() => store.Restore("client-0002", () => new UpdateEncoder(new ModelLayout([new TensorInfo("w", [40, 50])]), codec)));
        Assert.Contains("client-0002.state", error.Message);
        Assert.Contains("residual has 200 values", error.Message);
    }

    [Fact]
    public void The_update_awaiting_acknowledgement_is_kept_on_disk_with_the_residual_that_gave_it_up()
    {
        var layout = new ModelLayout([new TensorInfo("w", [40, 50])]);
        var codec = CodecSpec.Parse("topk:0.02>q:4");
        var encoder = new UpdateEncoder(layout, codec);
        var first = Sent(3, encoder.Encode(Enumerable.Range(0, layout.TotalLength).Select(i => MathF.Cos(i * 0.11f)).ToArray(), 3));
        new SpilledClientState(_directory).Keep("client-0003", encoder, first);

        // Another store on the same directory, as a process started again would open it, holds nothing in memory.
        var reopened = new SpilledClientState(_directory);
        var kept = reopened.Unacknowledged("client-0003")!;
        Assert.Equal(first.Header, kept.Header);
        Assert.Equal(first.Payload, kept.Payload);
        Assert.True(kept.IsAskedAgainBy(new TaskHeader { Round = 3, ModelVersion = 3 }));
        Assert.Equal(Bits(encoder.Residual), Bits(reopened.Restore("client-0003", () => new UpdateEncoder(layout, codec)).Residual));
        Assert.Null(reopened.Unacknowledged("client-0004"));
    }

    [Fact]
    public void A_state_file_whose_kept_update_claims_more_bytes_than_it_holds_is_refused_naming_the_file()
    {
        var layout = new ModelLayout([new TensorInfo("w", [10, 20])]);
        var encoder = new UpdateEncoder(layout, CodecSpec.Parse("topk:0.02>q:4"));
        var store = new SpilledClientState(_directory);
        store.Keep("client-0005", encoder, Sent(1, encoder.Encode(new float[200])));
        string path = Path.Combine(_directory, "client-0005.state");
        var bytes = File.ReadAllBytes(path);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), int.MaxValue); // the header's length
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => store.Unacknowledged("client-0005"));
        Assert.Contains("client-0005.state", error.Message);
        Assert.Contains($"claims {int.MaxValue} bytes", error.Message);
        Assert.Throws<InvalidDataException>(() => store.Restore("client-0005", () => new UpdateEncoder(layout, CodecSpec.Parse("topk:0.02>q:4"))));
    }

    [Fact]
    public async Task A_federation_with_spilled_client_state_gives_the_same_models_as_one_without()
    {
        var (inMemory, _) = await FederationOf(new ResidentClientState());
        var (spilled, _) = await FederationOf(new SpilledClientState(_directory));

        Assert.Equal(inMemory, spilled);
        Assert.Equal(3, Directory.GetFiles(_directory, "*.state").Length);
    }

    [Theory]
    [InlineData("topk:0.05:global>q:8")]
    [InlineData("topk:0.05:global>q:8;predict=0.5")]
    public async Task Clients_with_spilled_state_ask_from_the_seeded_model_and_take_the_downlink_steps_never_the_whole_model(string downlinkCodec)
    {
        var (inMemory, _) = await FederationOf(new ResidentClientState(), downlinkCodec);
        var (spilled, summaries) = await FederationOf(new SpilledClientState(_directory), downlinkCodec);

        Assert.Equal(inMemory, spilled);
        // Each task's payload took the client from the model it rebuilt to the announced hash, or it would have asked for the whole model.
        Assert.All(summaries, s => Assert.Equal((0, Rounds), (s.WholeModels, s.Differences)));
    }

    private static async Task<(string[] ModelHashes, ClientRunSummary[] Clients)> FederationOf(IClientStateStore state, string downlinkCodec = "none")
    {
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?>
        {
            ["Federation:Rounds"] = Rounds.ToString(),
            ["Federation:Codec"] = "topk:0.05>q:4",
            ["Federation:DownlinkCodec"] = downlinkCodec,
            ["Federation:RoundTimeout"] = TestCoordinator.SettledRoundTimeout,
        });
        // One active client at a time: the others wait with their model unread.
        var clients = EndToEndFederationTests.StartClients(coordinator.Address, 3, state: state, activeClients: 1);
        await coordinator.WaitUntilDoneAsync(TestCoordinator.Patience);
        var summaries = await Task.WhenAll(clients);
        Assert.All(summaries, summary => Assert.Equal(Rounds, summary.RoundsTrained));
        var store = coordinator.App.Services.GetRequiredService<IModelStore>();
        var hashes = new string[Rounds];
        for (int version = 2; version <= Rounds + 1; version++)
        {
            var weights = await store.LoadAsync(ModelSeries.Global("default"), version) ?? throw new InvalidOperationException($"no model version {version}");
            hashes[version - 2] = Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan())));
        }
        return (hashes, summaries);
    }

    private static UnacknowledgedUpdate Sent(int round, byte[] payload) =>
        new(new UpdateHeader { ClientId = "client", Round = round, BaseModelVersion = round, PayloadBytes = payload.Length, TrainLoss = 0.25f }, payload);

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (var i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
