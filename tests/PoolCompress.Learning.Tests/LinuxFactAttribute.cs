namespace PoolCompress.Learning.Tests;

/// <summary>A fact about something that exists on Linux only (an ELF library, a POSIX script): reported as skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: the patched library and the script exist on Linux only";
    }
}
