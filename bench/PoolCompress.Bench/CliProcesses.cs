using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace PoolCompress.Bench;

/// <summary>The `poolcompress` CLI (built in Release) started as a process, as the launcher would, its resident memory and free ports for it.</summary>
internal static class CliProcesses
{
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PoolCompress.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("PoolCompress.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Starts <c>poolcompress ARGS</c> with the launcher's <c>MALLOC_ARENA_MAX=2</c> and <paramref name="environment"/>.</summary>
    public static Process Start(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string root = RepositoryRoot(), cli = Path.Combine(root, "src", "Cli", "bin", "Release", "net10.0", "poolcompress.dll");
        if (!File.Exists(cli)) throw new FileNotFoundException("build the CLI first: dotnet build src/Cli -c Release", cli);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        info.Environment["MALLOC_ARENA_MAX"] = "2";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        info.ArgumentList.Add(cli);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Resident set size from /proc (0 once the process has gone).</summary>
    public static long Rss(Process process)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        return 0;
    }

    public static double Mib(long bytes) => bytes / 1048576.0;

    /// <summary>A loopback port the operating system says is free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
