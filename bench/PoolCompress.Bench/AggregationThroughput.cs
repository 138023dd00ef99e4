using System.Diagnostics;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Aggregation;
using PoolCompress.Learning;

namespace PoolCompress.Bench;

/// <summary>
/// Server-side aggregation of one round, in parameters per second: decode N encoded updates of the cnn layout, sum
/// them (FedAvg, double precision) and reduce. With one silo a single partial aggregator takes every update; with
/// two, each of two partial aggregators (one thread each, as two silos would run side by side) takes half, and
/// their sums are reduced, which is the only step that sees every parameter once per silo rather than per update.
/// </summary>
internal static class AggregationThroughput
{
    private const int Updates = 32;
    private const int Repetitions = 5;
    private static readonly string[] Codecs = ["none", "q:8", "topk:0.01>q:4"];

    public static void Print()
    {
        using var network = ModelFactory.Create("cnn", null, seed: 1);
        var layout = new ModelLayout(network.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));
        var weights = Enumerable.Range(0, Updates).Select(i => 100L + i).ToArray();
        Console.WriteLine($"cnn: {layout.TotalLength:N0} parameters, {Updates} updates per round, best of {Repetitions}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"| {"codec",-14} | {"silos",5} | {"parameters/s",14} | {"round ms",9} | {"reduce ms",9} |");
        Console.WriteLine($"|{new string('-', 16)}|{new string('-', 7)}|{new string('-', 16)}|{new string('-', 11)}|{new string('-', 11)}|");
        foreach (string codec in Codecs)
        {
            var encoder = new UpdateEncoder(layout, CodecSpec.Parse(codec), new UpdateEncoderOptions { ErrorFeedback = false });
            var payloads = Enumerable.Range(0, Updates).Select(i => encoder.Encode(RandomUpdate(layout.TotalLength, seed: i), (ulong)i)).ToArray();
            foreach (int silos in new[] { 1, 2 })
            {
                var best = Enumerable.Range(0, Repetitions).Select(_ => AggregateRound(layout, payloads, weights, silos)).MinBy(r => r.Seconds);
                double parametersPerSecond = (double)Updates * layout.TotalLength / best.Seconds;
                Console.WriteLine($"| {codec,-14} | {silos,5} | {parametersPerSecond,14:N0} | {best.Seconds * 1000,9:F1} | {best.ReduceSeconds * 1000,9:F1} |");
            }
        }
    }

    private static (double Seconds, double ReduceSeconds) AggregateRound(ModelLayout layout, byte[][] payloads, long[] weights, int silos)
    {
        int parameters = layout.TotalLength;
        long start = Stopwatch.GetTimestamp();
        var partials = Enumerable.Range(0, silos).Select(silo => Task.Run(() =>
        {
            var sum = new FedAvgAggregator(parameters);
            var decoded = new float[parameters];
            var contributors = new List<string>();
            for (int i = silo; i < payloads.Length; i += silos)
            {
                UpdateDecoder.Decode(payloads[i], layout, decoded);
                sum.Add(decoded, weights[i]);
                contributors.Add($"client-{i}");
            }
            return sum.ToPartialSum([.. contributors], 0);
        })).ToArray();
        Task.WaitAll(partials);
        long reduceStart = Stopwatch.GetTimestamp();
        var total = new FedAvgAggregator(parameters);
        foreach (var partial in partials) total.Add(partial.Result);
        total.ToWeightedUpdates().AddMeanTo(new float[parameters]);
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, Stopwatch.GetElapsedTime(reduceStart).TotalSeconds);
    }

    /// <summary>Normally distributed values with the spread of a round's weight change.</summary>
    private static float[] RandomUpdate(int length, int seed)
    {
        var random = new Random(seed);
        var update = new float[length];
        for (int i = 0; i < update.Length; i++)
            update[i] = (float)(0.01 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return update;
    }
}
