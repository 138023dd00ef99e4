using System.CommandLine;
using PoolCompress.Cli.Reporting;
using PoolCompress.Study;

namespace PoolCompress.Cli.Commands;

/// <summary>A grid of federations (codecs x models/heads x partitions x seeds) against dense references, with its report.</summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Study file (YAML or JSON), e.g. examples/quick-study.yaml", Required = true };
        var output = OutputOption.Create();
        var resume = new Option<bool>("--resume") { Description = "Keep the runs already finished in --out and run only the rest" };
        var command = new Command("study", "Run a grid of federations and write report.html, runs.csv, checkpoints.csv and one folder per run");
        command.Options.Add(config);
        command.Options.Add(output);
        command.Options.Add(resume);
        command.SetAction((parse, cancellationToken) => CliFailure.Guard(async () =>
        {
            var study = StudyConfig.Load(parse.GetValue(config)!);
            string outDir = OutputOption.Resolve(parse, output, "study");
            var runs = StudyPlan.Expand(study);
            int finished = parse.GetValue(resume) ? runs.Count(run => StudyRunner.IsFinished(outDir, run)) : 0;
            Console.WriteLine($"study {study.Name}: {runs.Count} runs{(finished > 0 ? $" ({finished} already finished, kept)" : "")}, " +
                $"{study.Parallel} at a time, results in {Path.GetFullPath(outDir)}");
            string report = await StudyConsoleProgress.RunAsync(outDir, runs.Count, finished,
                progress => StudyRunner.RunAsync(study, outDir, parse.GetValue(resume), progress, cancellationToken));
            Console.WriteLine(report);
            return 0;
        }));
        return command;
    }
}
