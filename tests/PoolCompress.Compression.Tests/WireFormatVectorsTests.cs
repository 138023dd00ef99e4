using System.IO.Hashing;
using System.Text.RegularExpressions;
using PoolCompress.Compression;

namespace PoolCompress.Compression.Tests;

/// <summary>
/// docs/wire-format.md's test vectors are what the code writes: each documented payload is encoded again from the
/// documented update and compared byte for byte, and so are the layout fingerprint and the model hash, so the
/// document cannot drift from the code.
/// </summary>
public sealed partial class WireFormatVectorsTests
{
    /// <summary>The main job's uplink and second downlink codecs, which must have vectors beside section 3's examples.</summary>
    private static readonly string[] MainJobCodecs = ["topk:0.02:global>ternary;whole=q:4", "topk:0.02:global>q:4;whole=q:4;predict=0.5"];

    private const ulong PayloadSeed = 42;

    public static ModelLayout Layout { get; } = new([new TensorInfo("fc.weight", [32, 32]), new TensorInfo("fc.bias", [4])]);

    /// <summary>x[i] = (−1)^i · ((619·i mod 1031) + 1) / 1024 for the 1,024 weights, then the biases (j − 1.5) / 4: exact in float32, no two weights of one magnitude.</summary>
    public static float[] Update() =>
    [
        .. Enumerable.Range(0, 1024).Select(i => (i % 2 == 0 ? 1 : -1) * (619 * i % 1031 + 1) / 1024f),
        .. Enumerable.Range(0, 4).Select(j => (j - 1.5f) / 4),
    ];

    private static readonly Lazy<string> Document = new(() => File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "wire-format.md")));

    public static TheoryData<string> DocumentedVectors => [.. Vectors().Keys];

    [Theory]
    [MemberData(nameof(DocumentedVectors))]
    public void A_documented_payload_is_what_the_encoder_writes_for_the_documented_update(string spec)
    {
        byte[] encoded = new UpdateEncoder(Layout, CodecSpec.Parse(spec)).Encode(Update(), PayloadSeed);

        Assert.Equal(Convert.ToHexStringLower(encoded), Convert.ToHexStringLower(Vectors()[spec]));
    }

    /// <summary>Section 5.4: the main job's uplink over the live coordinates of a model whose every fourth weight is pruned.</summary>
    [Fact]
    public void The_documented_pruned_payload_is_what_the_encoder_writes_over_the_live_coordinates()
    {
        var model = Update();
        for (var i = 0; i < 1024; i += 4) model[i] = 0;
        var live = LiveCoordinates.Of(Layout, model, sparsity: 0.25);

        byte[] encoded = new UpdateEncoder(Layout, CodecSpec.Parse(MainJobCodecs[0])).Encode(Update(), PayloadSeed, live);

        Assert.Equal(256, live.PrunedCount);
        Assert.Equal(DocumentedHex("pruned-uplink"), Convert.ToHexStringLower(encoded));
    }

    [Fact]
    public void The_main_jobs_codecs_and_every_example_of_the_grammar_have_a_vector()
    {
        string examples = Regex.Match(Document.Value, @"^Examples: (.*?)\.$", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        var specs = Regex.Matches(examples, "`([^`]+)`").Select(m => m.Groups[1].Value).Concat(MainJobCodecs).ToList();

        Assert.True(specs.Count > MainJobCodecs.Length, "section 3 lists no examples");
        Assert.All(specs, spec => Assert.True(Vectors().ContainsKey(spec), $"no test vector for `{spec}`"));
    }

    [Fact]
    public void The_documented_layout_fingerprint_and_model_hash_are_what_the_code_computes()
    {
        Assert.Equal(Documented("layout fingerprint"), Layout.Fingerprint);
        Assert.Equal(XxHash3.HashToUInt64(Convert.FromHexString(DocumentedHex("layout-bytes"))), Layout.Fingerprint);
        Assert.Equal(Documented("model hash"), ModelHash.Of(Update()));
        Assert.Equal(Documented("model hash of 1.0, -2.0"), ModelHash.Of([1.0f, -2.0f]));
    }

    /// <summary>Each vector's spec and bytes: a heading <c>#### `SPEC`</c>, then its bytes in a fenced <c>hex</c> block.</summary>
    private static Dictionary<string, byte[]> Vectors() =>
        VectorPattern().Matches(Document.Value).ToDictionary(m => m.Groups["spec"].Value, m => Convert.FromHexString(WhiteSpace().Replace(m.Groups["hex"].Value, "")));

    private static ulong Documented(string what) =>
        Convert.ToUInt64(Regex.Match(Document.Value, $@"^\| {Regex.Escape(what)} \| `0x(?<value>[0-9a-f]{{16}})` \|", RegexOptions.Multiline).Groups["value"].Value, 16);

    private static string DocumentedHex(string label) =>
        WhiteSpace().Replace(Regex.Match(Document.Value, $@"```hex {Regex.Escape(label)}\n(?<hex>[0-9a-f\s]+?)```").Groups["hex"].Value, "");

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PoolCompress.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException($"PoolCompress.sln not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^#### `(?<spec>[^`]+)`.*?\n```hex\n(?<hex>[0-9a-f\s]+?)```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex VectorPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
