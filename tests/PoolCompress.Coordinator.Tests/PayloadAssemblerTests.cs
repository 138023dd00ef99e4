using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

public sealed class PayloadAssemblerTests
{
    [Fact]
    public void A_large_announced_size_allocates_nothing_before_the_bytes_arrive()
    {
        const long announced = 512L << 20;
        long before = GC.GetAllocatedBytesForCurrentThread();

        var assembler = new PayloadAssembler(announced, 1L << 30);
        assembler.Append(PayloadChunks.Split(new byte[1000]).Single());

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 1L << 20);
        Assert.False(assembler.IsComplete);
    }

    [Fact]
    public void A_payload_arriving_in_many_chunks_is_reassembled_exactly()
    {
        var payload = Enumerable.Range(0, 3 * PayloadChunks.MaxChunkBytes + 12345).Select(i => (byte)(i * 31)).ToArray();
        var assembler = new PayloadAssembler(payload.Length, payload.Length);

        foreach (var chunk in PayloadChunks.Split(payload)) assembler.Append(chunk);

        Assert.Equal(payload, assembler.GetPayload());
    }

    [Fact]
    public void A_payload_that_stops_short_is_refused()
    {
        var assembler = new PayloadAssembler(5000, 5000);
        assembler.Append(PayloadChunks.Split(new byte[1000]).Single());
        Assert.Throws<InvalidDataException>(() => assembler.GetPayload());
    }
}
