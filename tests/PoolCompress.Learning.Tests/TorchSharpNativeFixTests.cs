using TorchSharp;

namespace PoolCompress.Learning.Tests;

/// <summary>The build's patch of TorchSharp's native glue (build/TorchSharpNativeFix.cs) and that TorchSharp then loads.</summary>
public sealed class TorchSharpNativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort VerFlgWeak = 0x2;

    private static readonly string OutputLibrary =
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [LinuxFact]
    public void Output_library_parses_and_its_GLIBCXX_3_4_32_need_is_weak_unless_the_system_provides_it()
    {
        int flagsOffset = ElfVersionRequirement.FindRequirementFlagsOffset(File.ReadAllBytes(OutputLibrary), Version, out _);

        Assert.True(flagsOffset > 0, $"{OutputLibrary} no longer needs {Version}; the native fix may be obsolete");
        Assert.True(ElfVersionRequirement.SystemLibStdCxxProvides(Version) || ElfVersionRequirement.IsWeak(OutputLibrary, Version),
            $"{OutputLibrary} needs {Version} strictly and this system's libstdc++ lacks it: the build did not patch it");
    }

    [LinuxFact]
    public void MarkWeak_sets_only_the_weak_flag_and_is_idempotent()
    {
        using var temp = new TempDirectory();
        string copy = temp.File("libLibTorchSharp.so");
        byte[] unpatched = File.ReadAllBytes(OutputLibrary);
        int flagsOffset = ElfVersionRequirement.FindRequirementFlagsOffset(unpatched, Version, out ushort flags);
        BitConverter.GetBytes((ushort)(flags & ~VerFlgWeak)).CopyTo(unpatched, flagsOffset); // undo any patch the build made
        File.WriteAllBytes(copy, unpatched);

        Assert.Equal(VersionRequirementOutcome.MarkedWeak, ElfVersionRequirement.MarkWeak(copy, Version));
        byte[] patched = File.ReadAllBytes(copy);
        Assert.Equal(VersionRequirementOutcome.AlreadyWeak, ElfVersionRequirement.MarkWeak(copy, Version));

        Assert.True(ElfVersionRequirement.IsWeak(copy, Version));
        Assert.Equal(patched, File.ReadAllBytes(copy));
        Assert.Equal([flagsOffset], Enumerable.Range(0, unpatched.Length).Where(i => unpatched[i] != patched[i]));
    }

    [Fact]
    public void TorchSharp_initialises_and_runs_a_tensor_op()
    {
        using var left = torch.ones(2, 3);
        using var right = torch.full(3, 2, 2f);
        using var product = left.matmul(right);

        Assert.Equal([6f, 6f, 6f, 6f], product.data<float>().ToArray());
    }
}
