using System.Diagnostics;
using PoolCompress.Learning;

namespace PoolCompress.Onnx;

/// <summary>What an engine costs to deploy on this CPU: batch-1 latency, batch-32 throughput, peak memory.</summary>
/// <param name="PeakMemoryBytes">How far the process's resident set rose while the engine was loaded and run; null where Linux's mark cannot be reset.</param>
public sealed record InferenceFigures(double Batch1P50Milliseconds, double Batch1P99Milliseconds, double Batch32SamplesPerSecond, long? PeakMemoryBytes);

/// <summary>
/// Loads an engine and times it on random samples: single samples one after another (p50 and p99 of each call)
/// and batches of 32 (samples per second), each after a warm-up. Figures, never assertions: they depend on the machine and its load.
/// </summary>
public static class InferenceBenchmark
{
    private const int WarmUp = 20;
    private const int SingleRuns = 300;
    private const int Batch = 32;
    private const int BatchRuns = 20;

    public static InferenceFigures Measure(Func<IInferenceEngine> load, IReadOnlyList<int> sampleShape, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(sampleShape);
        var random = new Random(seed);
        int length = sampleShape.Aggregate(1, (product, size) => checked(product * size));
        float[] batch = [.. Enumerable.Range(0, Batch * length).Select(_ => random.NextSingle())];
        float[] single = batch[..length];
        double[] latencies = [];
        double samplesPerSecond = 0;
        long? peak = PeakResidentSet.GrowthWhile(() =>
        {
            using var engine = load();
            latencies = TimeEach(() => engine.Run(single, 1), WarmUp, SingleRuns);
            samplesPerSecond = Batch * BatchRuns / TimeEach(() => engine.Run(batch, Batch), WarmUp / 4, BatchRuns).Sum() * 1_000;
        });
        Array.Sort(latencies);
        return new InferenceFigures(Percentile(latencies, 0.50), Percentile(latencies, 0.99), samplesPerSecond, peak);
    }

    /// <summary>Milliseconds of each of <paramref name="runs"/> calls after <paramref name="warmUp"/> untimed ones.</summary>
    private static double[] TimeEach(Action run, int warmUp, int runs)
    {
        for (int i = 0; i < warmUp; i++) run();
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
