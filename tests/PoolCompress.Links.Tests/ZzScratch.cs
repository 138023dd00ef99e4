using System.Diagnostics;
using Xunit.Abstractions;
namespace PoolCompress.Links.Tests;
public class ZzScratch(ITestOutputHelper output)
{
    [Fact]
    public async Task RealClock()
    {
        var link = LinkProfile.Parse("up=2mbit,down=8mbit,rtt=200ms");
        var sw = Stopwatch.StartNew();
        await using (var s = new ThrottledStream(new MemoryStream(), link)) await s.WriteAsync(new byte[250_000]);
        output.WriteLine($"write 250k @2mbit: {sw.Elapsed} expect 1.0");
        sw.Restart();
        await using (var s = new ThrottledStream(new MemoryStream(new byte[250_000]), link)) { var b = new byte[65536]; while (await s.ReadAsync(b) > 0) {} }
        output.WriteLine($"read 250k @8mbit rtt200: {sw.Elapsed} expect 0.45");
        sw.Restart();
        var fast = LinkProfile.Parse("up=1gbit,down=1gbit");
        await using (var s = new ThrottledStream(new MemoryStream(), fast)) await s.WriteAsync(new byte[50_000_000]);
        output.WriteLine($"write 50MB @1gbit: {sw.Elapsed} expect 0.4");
    }
}
