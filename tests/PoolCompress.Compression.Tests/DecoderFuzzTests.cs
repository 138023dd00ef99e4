namespace PoolCompress.Compression.Tests;

public class DecoderFuzzTests
{
    private static readonly string[] Specs =
        ["none", "fp16", "bf16", "q:3:block=50", "q:8:asym", "ternary", "topk:0.05>q:4", "topk:0.02>ternary", "topk:0.05:global>q:4",
         "randk:0.1>q:2:stochastic", "threshold:1>fp16", "pool:2x3>q:5", "pool:4>topk:0.3",
         "lowrank:2>q:6", "pool:2>lowrank:1>fp16"];

    [Fact]
    public void Mutated_payloads_only_ever_raise_wire_format_exceptions()
    {
        var layout = TestData.SmallModel();
        var options = new UpdateEncoderOptions { DenseBelowElements = 100 };
        var random = new Random(20240611);
        var destination = new float[layout.TotalLength];
        var rejected = 0;
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var spec = Specs[iteration % Specs.Length];
            var valid = new UpdateEncoder(layout, CodecSpec.Parse(spec), options).Encode(TestData.Gaussian(layout.TotalLength, seed: iteration % 7), (ulong)iteration);
            var mutated = Mutate(valid, random);
            // Half the time the checksum is repaired so that the mutation reaches the header and body checks behind it.
            if (random.Next(2) == 0 && mutated.Length >= 8) mutated = TestData.WithValidChecksum(mutated);
            try
            {
                UpdateDecoder.Decode(mutated, layout, destination);
            }
            catch (WireFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration}, spec {spec}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.True(rejected > 1500, $"only {rejected} of 3000 mutated payloads were rejected");
    }

    private static byte[] Mutate(byte[] payload, Random random)
    {
        var bytes = payload.ToList();
        var mutations = 1 + random.Next(3);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            // Bias towards the header and the start of bodies, where the structural fields are.
            var position = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Count, 200)) : random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[position] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[position] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(position, bytes.Count - position); break;
                default: bytes.Insert(position, (byte)random.Next(256)); break;
            }
        }
        return bytes.ToArray();
    }
}
