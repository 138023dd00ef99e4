using BenchmarkDotNet.Running;
using PoolCompress.Bench;

if (args is ["bits", ..])
{
    BitsTable.Print();
    return;
}
if (args is ["aggregation", ..])
{
    AggregationThroughput.Print();
    return;
}
if (args is ["secagg-cost", .. var secure])
{
    SecureAggregationCost.Print(secure is [var support] ? int.Parse(support, System.Globalization.CultureInfo.InvariantCulture) : SecureAggregationCost.DefaultSupport);
    return;
}
if (args is ["data-loading", ..])
{
    await DataLoading.PrintAsync();
    return;
}
if (args is ["coordinator-memory", .. var rest])
{
    int rounds = rest is [var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : CoordinatorMemory.DefaultRounds;
    await (rest is [_, var codec] ? CoordinatorMemory.RunAsync(rounds, codec) : CoordinatorMemory.RunAsync(rounds));
    return;
}
if (args is ["simulate-memory", .. var simulated])
{
    int rounds = simulated is [var count, ..] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : SimulateMemory.DefaultRounds;
    await SimulateMemory.RunAsync(rounds, simulated is [_, var codec] ? codec : "topk:0.01>q:4");
    return;
}
if (args is ["soak", .. var soak])
{
    var counts = soak.Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    await (counts switch
    {
        [var stalled, var idle, var waves, ..] => UploadSoak.RunAsync(stalled, idle, waves),
        [var stalled, var idle] => UploadSoak.RunAsync(stalled, idle),
        [var stalled] => UploadSoak.RunAsync(stalled),
        _ => UploadSoak.RunAsync(),
    });
    return;
}
if (args is ["hostile-soak", .. var hostileSoak])
{
    await HostileSoak.RunAsync(hostileSoak);
    return;
}
if (args is ["scale", .. var scale])
{
    ScaleRun.Options options;
    try
    {
        options = ScaleRun.Parse(scale);
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Environment.ExitCode = 2;
        return;
    }
    await ScaleRun.RunAsync(options);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
