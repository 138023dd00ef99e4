using System.CommandLine;
using PoolCompress.Reporting;

namespace PoolCompress.Cli.Commands;

/// <summary>Rebuilds a study's report.html, runs.csv and checkpoints.csv from its finished runs.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR") { Description = "A study's output directory (holding study.json and runs/)" };
        var target = new Option<double?>("--target-accuracy") { Description = "Accuracy to measure time and bytes to (default: the study's)" };
        var command = new Command("report", "Rebuild report.html, runs.csv and checkpoints.csv from a study's finished runs");
        command.Arguments.Add(directory);
        command.Options.Add(target);
        command.SetAction(parse => CliFailure.Guard(() =>
        {
            Console.WriteLine(StudyReport.Write(parse.GetValue(directory)!, parse.GetValue(target)));
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        return command;
    }
}
