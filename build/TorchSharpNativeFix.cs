// TorchSharp 0.107's libLibTorchSharp.so is linked by GCC 13 and so declares that it needs libstdc++'s
// GLIBCXX_3.4.32, although the one symbol of that version (std::ios_base_library_init) is never bound at run time.
// Debian 12's libstdc++ stops at 3.4.30, so the loader refuses the library. Marking that single version
// requirement weak (VER_FLG_WEAK in its Elf64_Vernaux) lets the loader accept it; nothing else changes.
// This file is compiled both as an MSBuild inline task (build/TorchSharpNativeFix.targets) and into the tests;
// the inline task compiler targets .NET Standard, hence byte arrays and BitConverter rather than spans.
using System;
using System.IO;
using System.Text;

public enum VersionRequirementOutcome
{
    MarkedWeak,
    AlreadyWeak,
    NotRequired,
}

public static class ElfVersionRequirement
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Marks the requirement of <paramref name="version"/> in the ELF file at <paramref name="path"/> weak.</summary>
    public static VersionRequirementOutcome MarkWeak(string path, string version)
    {
        byte[] image = File.ReadAllBytes(path);
        int flagsOffset = FindRequirementFlagsOffset(image, version, out ushort flags);
        if (flagsOffset < 0) return VersionRequirementOutcome.NotRequired;
        if ((flags & VerFlgWeak) != 0) return VersionRequirementOutcome.AlreadyWeak;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            byte[] bytes = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
            file.Position = flagsOffset;
            file.Write(bytes, 0, 2);
        }
        return VersionRequirementOutcome.MarkedWeak;
    }

    /// <summary>True when the file requires <paramref name="version"/> and that requirement is weak.</summary>
    public static bool IsWeak(string path, string version)
    {
        byte[] image = File.ReadAllBytes(path);
        return FindRequirementFlagsOffset(image, version, out ushort flags) >= 0 && (flags & VerFlgWeak) != 0;
    }

    /// <summary>Returns the file offset of vna_flags for the named version requirement, or -1 when there is none.</summary>
    public static int FindRequirementFlagsOffset(byte[] image, string version, out ushort flags)
    {
        flags = 0;
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF files are supported");

        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        long sectionTable = checked((long)BitConverter.ToUInt64(image, 0x28));
        int entrySize = BitConverter.ToUInt16(image, 0x3A);
        int count = BitConverter.ToUInt16(image, 0x3C);
        if (entrySize < 64 || sectionTable < 0 || sectionTable + (long)entrySize * count > image.Length)
            throw new InvalidDataException("section header table lies outside the file");

        for (int i = 0; i < count; i++)
        {
            int header = (int)(sectionTable + (long)i * entrySize);
            if (BitConverter.ToUInt32(image, header + 4) != ShtGnuVerneed) continue;
            int verneed = ToOffset(BitConverter.ToUInt64(image, header + 24), image.Length);
            int link = (int)BitConverter.ToUInt32(image, header + 40);
            int verneedCount = (int)BitConverter.ToUInt32(image, header + 44);
            if (link >= count) throw new InvalidDataException("version section links to a missing string table");
            int strtabHeader = (int)(sectionTable + (long)link * entrySize);
            int strtab = ToOffset(BitConverter.ToUInt64(image, strtabHeader + 24), image.Length);
            return Walk(image, verneed, verneedCount, strtab, version, out flags);
        }
        return -1;
    }

    private static int Walk(byte[] span, int verneed, int entries, int strtab, string version, out ushort flags)
    {
        flags = 0;
        int need = verneed;
        for (int n = 0; n < entries; n++)
        {
            Require(span, need, 16);
            int auxCount = BitConverter.ToUInt16(span, need + 2);
            int aux = need + (int)BitConverter.ToUInt32(span, need + 8);
            for (int a = 0; a < auxCount; a++)
            {
                Require(span, aux, 16);
                int name = strtab + (int)BitConverter.ToUInt32(span, aux + 8);
                if (ReadCString(span, name) == version)
                {
                    flags = BitConverter.ToUInt16(span, aux + 4);
                    return aux + 4;
                }
                aux += (int)BitConverter.ToUInt32(span, aux + 12);
            }
            int next = (int)BitConverter.ToUInt32(span, need + 12);
            if (next == 0) break;
            need += next;
        }
        return -1;
    }

    private static int ToOffset(ulong value, int length)
    {
        if (value >= (ulong)length) throw new InvalidDataException("section offset lies outside the file");
        return (int)value;
    }

    private static void Require(byte[] span, int offset, int size)
    {
        if (offset < 0 || offset + size > span.Length) throw new InvalidDataException("version entry lies outside the file");
    }

    private static string ReadCString(byte[] span, int offset)
    {
        if (offset < 0 || offset >= span.Length) throw new InvalidDataException("string lies outside the file");
        int end = Array.IndexOf(span, (byte)0, offset);
        if (end < 0) throw new InvalidDataException("unterminated string");
        return Encoding.ASCII.GetString(span, offset, end - offset);
    }

    /// <summary>True when a libstdc++ on the usual library paths already defines <paramref name="version"/>.</summary>
    public static bool SystemLibStdCxxProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (string candidate in candidates)
        {
            if (File.Exists(candidate) && Contains(File.ReadAllBytes(candidate), needle)) return true;
        }
        return false;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = Array.IndexOf(haystack, needle[0]); i >= 0 && i <= haystack.Length - needle.Length;
             i = Array.IndexOf(haystack, needle[0], i + 1))
        {
            int j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}

#if !POOLCOMPRESS_TESTS
public sealed class RelaxLibStdCxxRequirement : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public string LibraryPath { get; set; } = "";
    public string Version { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) || !File.Exists(LibraryPath)) return true;
        if (ElfVersionRequirement.SystemLibStdCxxProvides(Version)) return true;
        try
        {
            var outcome = ElfVersionRequirement.MarkWeak(LibraryPath, Version);
            if (outcome == VersionRequirementOutcome.MarkedWeak)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"TorchSharp native fix: marked {Version} weak in {LibraryPath}");
            return true;
        }
        catch (Exception e)
        {
            Log.LogError($"TorchSharp native fix failed for {LibraryPath}: {e.Message}");
            return false;
        }
    }
}
#endif
