using BenchmarkDotNet.Running;
using PoolCompress.Bench;

if (args is ["bits", ..])
{
    BitsTable.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args);
