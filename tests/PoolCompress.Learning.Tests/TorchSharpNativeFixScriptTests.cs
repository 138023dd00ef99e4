namespace PoolCompress.Learning.Tests;

/// <summary>
/// build/torchsharp-native-fix.sh, the fix as it runs inside a container image (no .NET SDK there): it must change
/// exactly what build/TorchSharpNativeFix.cs changes, and nothing when there is nothing to do.
/// </summary>
public sealed class TorchSharpNativeFixScriptTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;

    private static readonly string Script = Path.Combine(RepoRoot(), "build", "torchsharp-native-fix.sh");
    private static readonly string OutputLibrary =
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [LinuxFact]
    public void The_script_makes_the_same_two_byte_change_as_the_build_and_is_idempotent()
    {
        using var temp = new TempDirectory();
        string byScript = UnpatchedCopy(temp, "by-script.so"), byBuild = UnpatchedCopy(temp, "by-build.so");

        var first = Run("--always", byScript);
        ElfVersionRequirement.MarkWeak(byBuild, Version);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("marked GLIBCXX_3.4.32 weak", first.Output);
        Assert.Equal(File.ReadAllBytes(byBuild), File.ReadAllBytes(byScript));
        var second = Run("--always", byScript);
        Assert.Contains("already weak", second.Output);
        Assert.Equal(File.ReadAllBytes(byBuild), File.ReadAllBytes(byScript));
    }

    [LinuxFact]
    public void Without_always_the_script_patches_only_when_the_system_libstdcxx_lacks_the_version()
    {
        using var temp = new TempDirectory();
        string copy = UnpatchedCopy(temp, "libLibTorchSharp.so");

        var result = Run(copy);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(!ElfVersionRequirement.SystemLibStdCxxProvides(Version), ElfVersionRequirement.IsWeak(copy, Version));
    }

    [LinuxFact]
    public void A_file_that_is_not_ELF_is_refused_with_exit_code_3_and_left_alone()
    {
        using var temp = new TempDirectory();
        string text = temp.File("not-elf.so");
        File.WriteAllText(text, "this is not a shared library, only text long enough to be read as a header");

        var result = Run("--always", text);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not a 64-bit little-endian ELF file", result.Output);
        Assert.Equal("this is not a shared library, only text long enough to be read as a header", File.ReadAllText(text));
    }

    /// <summary>A copy of the output's library with the build's patch undone.</summary>
    private static string UnpatchedCopy(TempDirectory temp, string name)
    {
        byte[] image = File.ReadAllBytes(OutputLibrary);
        int flagsOffset = ElfVersionRequirement.FindRequirementFlagsOffset(image, Version, out ushort flags);
        BitConverter.GetBytes((ushort)(flags & ~VerFlgWeak)).CopyTo(image, flagsOffset);
        string copy = temp.File(name);
        File.WriteAllBytes(copy, image);
        return copy;
    }

    private static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PoolCompress.sln"))) return dir.FullName;
        throw new InvalidOperationException($"PoolCompress.sln not found above {AppContext.BaseDirectory}");
    }
}
