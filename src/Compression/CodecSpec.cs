using PoolCompress.Compression.Codecs;

namespace PoolCompress.Compression;

/// <summary>A codec chain such as <c>topk:0.01&gt;q:4</c>: stages joined by '&gt;', applied left to right, optionally
/// followed by <c>;whole=CODER</c> for the tensors sent whole and, on a downlink, <c>;predict=FACTOR</c>.
/// The grammar is documented in docs/wire-format.md.</summary>
public sealed class CodecSpec
{
    private CodecSpec(ParsedSpec parsed)
    {
        Text = parsed.Text;
        Chain = parsed.Chain;
        WholeCoder = parsed.Whole;
        SendsNothingWhole = parsed.WholeThroughChain;
        Prediction = parsed.Prediction;
        StagesUsed = parsed.StageNames;
    }

    /// <summary>The canonical text: what <see cref="Parse"/> accepts and what the wire header carries.</summary>
    public string Text { get; }

    /// <summary>Every stage a spec may name, plug-ins included (<see cref="CodecStages"/>).</summary>
    public static IReadOnlyList<string> StageNames => CodecStages.Names;

    /// <summary>The spec that sends exact float32.</summary>
    public static CodecSpec None { get; } = Parse("none");

    internal CodecStage Chain { get; }

    /// <summary>The <c>;whole=CODER</c> clause's coder for the tensors an update sends whole (biases and small
    /// tensors); null for the default, float16 beside a lossy chain.</summary>
    internal CodecStage? WholeCoder { get; }

    /// <summary>True for <c>;whole=chain</c>: biases and small tensors go through the chain with the rest.</summary>
    internal bool SendsNothingWhole { get; }

    /// <summary>True when decoding reproduces the input exactly, so error feedback has nothing to keep.</summary>
    internal bool IsLossless => Chain is DenseFloat32Coder;

    /// <summary>The fraction of a <c>topk:F:global</c> first stage, whose threshold the encoder finds over the whole update.</summary>
    internal double? GlobalTopKFraction => Chain is TopKSparsifier { IsGlobal: true } topK ? topK.Fraction : null;

    /// <summary>The warm-up and momentum options of a <c>topk:F:global</c> first stage (none for any other chain).</summary>
    internal TopKSchedule GlobalTopKSchedule => Chain is TopKSparsifier { IsGlobal: true } topK ? topK.Schedule : TopKSchedule.None;

    /// <summary>True when the spec has options (momentum) that keep one client's own state from update to update,
    /// which a downlink difference, encoded afresh for every version, does not have. A warm-up only counts updates.</summary>
    public bool FollowsOneClientsUpdates => GlobalTopKSchedule.Momentum > 0;

    /// <summary>The names of the stages the spec uses, its whole coder's included: what a client must encode to send it.</summary>
    public IReadOnlyList<string> StagesUsed { get; }

    /// <summary>The <c>;predict=FACTOR</c> clause's factor, 0 without one: a downlink step is the correction to the
    /// published model moved on by this share of its last movement (<see cref="DownlinkPrediction"/>).</summary>
    public float Prediction { get; }

    /// <exception cref="CodecSpecException">The spec is malformed; the message names the stage and what is allowed.</exception>
    public static CodecSpec Parse(string spec) => new(CodecSpecParser.Parse(spec));

    public override string ToString() => Text;
}
