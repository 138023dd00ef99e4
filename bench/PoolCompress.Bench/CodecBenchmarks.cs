using BenchmarkDotNet.Attributes;
using PoolCompress.Compression;

namespace PoolCompress.Bench;

/// <summary>Encode and decode time per codec; throughput is Elements·4 bytes / mean time.
/// Error feedback is off so that the codec alone is measured.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private UpdateEncoder _encoder = null!;
    private ModelLayout _layout = null!;
    private float[] _update = [];
    private float[] _decoded = [];
    private byte[] _payload = [];

    [Params(1_000_000, 10_000_000)]
    public int Elements { get; set; }

    [ParamsSource(nameof(Specs))]
    public string Spec { get; set; } = "none";

    public static IEnumerable<string> Specs => BenchmarkCodecs.Specs;

    [GlobalSetup]
    public void Setup()
    {
        (_layout, _update) = BenchmarkCodecs.Tensor(Elements);
        _encoder = new UpdateEncoder(_layout, CodecSpec.Parse(Spec), new UpdateEncoderOptions { ErrorFeedback = false });
        _payload = _encoder.Encode(_update, 1);
        _decoded = new float[Elements];
    }

    [Benchmark]
    public byte[] Encode() => _encoder.Encode(_update, 1);

    [Benchmark]
    public float[] Decode()
    {
        UpdateDecoder.Decode(_payload, _layout, _decoded);
        return _decoded;
    }
}
