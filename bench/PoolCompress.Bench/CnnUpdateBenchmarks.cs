using BenchmarkDotNet.Attributes;
using PoolCompress.Compression;
using PoolCompress.Learning;

namespace PoolCompress.Bench;

/// <summary>
/// Encode + decode of one whole update of the MNIST CNN (1.66M parameters in 8 tensors), as a client sends it and
/// the coordinator reads it, with error feedback on (the low-rank stage's warm starts live in that state).
/// </summary>
[MemoryDiagnoser]
public class CnnUpdateBenchmarks
{
    private UpdateEncoder _encoder = null!;
    private ModelLayout _layout = null!;
    private float[] _update = [];
    private float[] _decoded = [];

    [Params("lowrank:1>q:8", "lowrank:4>q:8", "topk:0.008:global>ternary")]
    public string Spec { get; set; } = "lowrank:4>q:8";

    [GlobalSetup]
    public void Setup()
    {
        using (var model = ModelFactory.Create("cnn", headPool: null, seed: 1))
            _layout = new ModelLayout(model.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));
        _update = BenchmarkCodecs.Gaussian(_layout.TotalLength, seed: 1);
        _decoded = new float[_layout.TotalLength];
        _encoder = new UpdateEncoder(_layout, CodecSpec.Parse(Spec));
    }

    [Benchmark]
    public float[] EncodeAndDecode()
    {
        UpdateDecoder.Decode(_encoder.Encode(_update, 1), _layout, _decoded);
        return _decoded;
    }
}
