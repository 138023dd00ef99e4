using System.Diagnostics;

namespace PoolCompress.TestSupport;

/// <summary>Runs the real `poolcompress` CLI as a separate process, as a user or a deployment would.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args) => Start("dotnet", [], environment, args);

    /// <summary>
    /// Starts the CLI as a non-interactive shell starts a background job (<c>poolcompress client ... &amp;</c> in a
    /// script): with SIGINT and SIGQUIT ignored, which the process inherits. The ignore is set here rather than
    /// left to how the test run itself was started, which differs between a terminal and a CI job.
    /// </summary>
    public static Process StartAsBackgroundJob(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start("/bin/sh", ["-c", "trap '' INT QUIT; exec \"$@\"", "sh", "dotnet"], environment, args);

    private static Process Start(string program, string[] launcher, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        foreach (string arg in launcher.Append(Dll).Concat(args)) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
    }

    public static async Task<Result> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        return await CompleteAsync(process, timeout);
    }

    public static async Task<Result> CompleteAsync(Process process, TimeSpan timeout)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"poolcompress did not finish within {timeout}: {await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static readonly DirectoryInfo Output = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The configuration these tests were built in (bin/CONFIG/net10.0), e.g. Release.</summary>
    public static string Configuration => Output.Parent!.Name;

    /// <summary>The repository these tests were built from: the folder holding PoolCompress.sln.</summary>
    public static string RepositoryRoot { get; } = LocateRoot();

    private static string LocateRoot()
    {
        var root = Output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "PoolCompress.sln"))) root = root.Parent;
        return root?.FullName ?? throw new InvalidOperationException("PoolCompress.sln not found above " + Output.FullName);
    }

    private static readonly string Dll = LocateCli();

    /// <summary>The CLI built in the same configuration as these tests.</summary>
    private static string LocateCli()
    {
        string dll = Path.Combine(RepositoryRoot, "src", "Cli", "bin", Configuration, Output.Name, "poolcompress.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build the CLI first", dll);
    }
}
