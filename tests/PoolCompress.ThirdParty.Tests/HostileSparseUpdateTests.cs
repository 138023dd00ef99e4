using Grpc.Core;

namespace PoolCompress.ThirdParty.Tests;

/// <summary>
/// A sparse update written by hand from docs/wire-format.md (<see cref="TopKTernary"/>): every tensor through the chain
/// `topk:0.01>ternary`, which the coordinator decodes whatever its own uplink codec. The honest one must move the model
/// by exactly what the document says it decodes to; each lie inside a body must be refused with the model unmoved.
/// </summary>
public sealed partial class HostileClientTests
{
    private const string SparseSpec = "topk:0.01>ternary";

    [Fact]
    public async Task A_hand_written_sparse_update_is_accepted_and_moves_the_model_by_what_it_decodes_to()
    {
        var task = await _client.NextTrainTaskAsync();
        var bodies = HonestSparseBodies();
        byte[] payload = SparsePayload(bodies);
        var (receipt, error) = await _client.PushAsync(_client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        Assert.True(receipt?.Accepted, $"{error?.Status}\n{coordinator.Output}");

        var next = await _client.NextTrainTaskAsync();
        float[] decoded = SparseValues(bodies);
        Assert.Equal(task.Header.ModelVersion + 1, next.Header.ModelVersion);
        for (int i = 0; i < decoded.Length; i++)
            Assert.True(Math.Abs(next.Model[i] - (task.Model[i] + decoded[i])) <= 1e-6f * Math.Max(1, Math.Abs(task.Model[i])),
                $"value {i}: {task.Model[i]} + {decoded[i]} became {next.Model[i]}");
    }

    public static TheoryData<string> HostileSparseBodies =>
    [
        "count-beyond-ceil(F·n)", "index-past-the-tensor", "gap-wrapping-a-32-bit-index", "rice-parameter-31", "truncated-bit-stream",
        "bit-stream-longer-than-its-gaps", "ternary-magnitude-nan", "ternary-magnitude-negative", "ternary-mode-2",
    ];

    /// <summary>One field of the first tensor's body lies; its entry's body length still matches, as does the checksum.</summary>
    [Theory]
    [MemberData(nameof(HostileSparseBodies))]
    public async Task A_sparse_update_that_lies_inside_a_body_is_refused_and_the_model_does_not_move(string kind)
    {
        var task = await _client.NextTrainTaskAsync();
        var bodies = HonestSparseBodies();
        bodies[0] = Lying(kind, bodies[0], WireFormat.ElementCount(_client.Config.Layout[0]));
        byte[] payload = SparsePayload(bodies);
        var (_, error) = await _client.PushAsync(_client.HeaderFor(task.Header, payload.Length), Chunks.Split(payload));
        Assert.True(error is not null, $"{kind} was accepted\n{coordinator.Output}");
        Assert.True(StatusCode.InvalidArgument == error.StatusCode, $"{kind}: {error.Status}");
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        await AssertUnmovedAsync(task);
    }

    private static TopKTernary Lying(string kind, TopKTernary body, long n)
    {
        var kept = KeptOf(n);
        return kind switch
        {
            "count-beyond-ceil(F·n)" => body with { Count = body.Count + 1 },
            "index-past-the-tensor" => body with { Gaps = TopKTernary.RiceCode(TopKTernary.GapsOf([.. kept[..^1], (int)n]), body.Rice) },
            // A gap of 2^32 − 2 takes a 32-bit index back by one: it must be refused, not wrap.
            "gap-wrapping-a-32-bit-index" => body with { Rice = 30, Gaps = TopKTernary.RiceCode(TopKTernary.GapsOf(kept[..^1]).Append(uint.MaxValue - 1), 30) },
            "rice-parameter-31" => body with { Rice = 31 },
            "truncated-bit-stream" => body with { Gaps = body.Gaps[..^1] },
            "bit-stream-longer-than-its-gaps" => body with { Gaps = [.. body.Gaps, 0] },
            "ternary-magnitude-nan" => body with { Magnitude = float.NaN },
            "ternary-magnitude-negative" => body with { Magnitude = -HonestStep },
            "ternary-mode-2" => body with { Mode = 2 },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>ceil(n / 100) = ceil(0.01 · n) indices spread evenly over the tensor's n elements.</summary>
    private static List<int> KeptOf(long n)
    {
        int k = (int)((n + 99) / 100);
        return [.. Enumerable.Range(0, k).Select(j => (int)(j * n / k))];
    }

    /// <summary>Per tensor: the kept elements at ±HonestStep, signs alternating.</summary>
    private List<TopKTernary> HonestSparseBodies() =>
    [
        .. _client.Config.Layout.Select(tensor =>
        {
            var kept = KeptOf(WireFormat.ElementCount(tensor));
            return TopKTernary.Of(kept, [.. kept.Select((_, j) => j % 2 == 0 ? HonestStep : -HonestStep)]);
        }),
    ];

    private byte[] SparsePayload(IEnumerable<TopKTernary> bodies) =>
        WireFormat.Payload(SparseSpec, 0, _client.Config.Layout, [.. bodies.Select(b => new TensorBody(WireFormat.CodecChain, b.Body()))]);

    /// <summary>What section 2.3 says the honest bodies decode to: ±μ at the kept indices, 0 elsewhere.</summary>
    private float[] SparseValues(List<TopKTernary> bodies)
    {
        var values = new float[_client.Config.Layout.Sum(WireFormat.ElementCount)];
        long offset = 0;
        foreach (var (tensor, body) in _client.Config.Layout.Zip(bodies))
        {
            var kept = KeptOf(WireFormat.ElementCount(tensor));
            for (int j = 0; j < kept.Count; j++) values[offset + kept[j]] = j % 2 == 0 ? body.Magnitude : -body.Magnitude;
            offset += WireFormat.ElementCount(tensor);
        }
        return values;
    }
}
