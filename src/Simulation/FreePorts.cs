using System.Net;
using System.Net.Sockets;

namespace PoolCompress.Simulation;

/// <summary>Ports the operating system says are free now, for in-process silos that nobody else dials.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
