using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PoolCompress.Cli;
using PoolCompress.Coordinator;

namespace PoolCompress.Integration.Tests;

/// <summary>How long an upload may take is the coordinator's to say on its command line, and its help says the defaults.</summary>
public sealed class UploadLimitOptionsTests
{
    [Fact]
    public async Task Coordinator_help_shows_the_upload_grace_and_the_minimum_upload_rate_with_their_defaults()
    {
        var help = await CliProcess.RunAsync(TestCoordinator.Patience, "coordinator", "--help");

        var defaults = new CoordinatorOptions();
        string Described(string option) => Assert.Single(help.Stdout.Split('\n'), line => line.TrimStart().StartsWith(option + " <", StringComparison.Ordinal)).Trim();
        Assert.Equal(0, help.ExitCode);
        Assert.EndsWith($"(default {defaults.UploadGrace.TotalSeconds})", Described("--upload-grace"));
        Assert.EndsWith($"(default {defaults.MinUploadBytesPerSecond})", Described("--min-upload-rate"));
    }

    [Fact]
    public void Upload_limits_on_the_command_line_reach_the_coordinators_options_and_a_grace_no_TimeSpan_holds_is_refused()
    {
        var uploads = new UploadLimitCliOptions();
        var command = new RootCommand();
        foreach (var option in uploads.All) command.Options.Add(option);

        var configuration = new Dictionary<string, string?>();
        uploads.AddTo(configuration, command.Parse(["--upload-grace", "2.5", "--min-upload-rate", "1000"]));
        var options = new ConfigurationBuilder().AddInMemoryCollection(configuration).Build()
            .GetSection(CoordinatorOptions.SectionName).Get<CoordinatorOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(2.5), options.UploadGrace);
        Assert.Equal(1000, options.MinUploadBytesPerSecond);
        Assert.Throws<ArgumentException>(() => uploads.AddTo([], command.Parse(["--upload-grace", "1e300"])));
        Assert.Throws<ArgumentException>(() => uploads.AddTo([], command.Parse(["--upload-grace", "NaN"])));
    }
}
