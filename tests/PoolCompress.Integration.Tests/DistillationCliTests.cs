using System.Text.Json;
using PoolCompress.Learning;

namespace PoolCompress.Integration.Tests;

/// <summary>A teacher distilled into a student from the command line: a pass over gRPC, and one line with exit code 2 for a teacher that cannot be used.</summary>
public sealed class DistillationCliTests : IDisposable
{
    private static readonly TimeSpan Patience = TestCoordinator.Patience;
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-distill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulate_distils_a_teacher_into_a_student_and_records_how()
    {
        string teacher = Teacher("cnn", [1, 28, 28]);
        string output = Path.Combine(_dir, "run");

        var result = await CliProcess.RunAsync(Patience, "simulate", "--dataset", "synthetic", "--clients", "2", "--rounds", "1", "--local-epochs", "1",
            "--model", "mlp", "--teacher", teacher, "--distill-temperature", "4", "--distill-alpha", "0.7", "--out", output);

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var config = summary.RootElement.GetProperty("config");
        Assert.Equal(teacher, config.GetProperty("teacher").GetString());
        Assert.Equal((4.0, 0.7), (config.GetProperty("distill_temperature").GetDouble(), config.GetProperty("distill_alpha").GetDouble()));
        Assert.Equal(2, summary.RootElement.GetProperty("rounds")[0].GetProperty("participants").GetInt32());
    }

    [Theory]
    [InlineData("missing", null, "does not exist")]
    [InlineData("table", null, "takes 64 samples")]
    [InlineData("digits", "resnet8", "teacher-model says resnet8")]
    public async Task Simulate_refuses_a_teacher_it_cannot_use_with_one_line_and_exit_code_2(string file, string? teacherModel, string expected)
    {
        string path = file switch
        {
            "table" => Teacher("mlp", [64]),
            "digits" => Teacher("mlp", [1, 28, 28]),
            _ => Path.Combine(_dir, file),
        };
        string[] model = teacherModel is null ? [] : ["--teacher-model", teacherModel];

        var result = await CliProcess.RunAsync(Patience, ["simulate", "--dataset", "synthetic", "--teacher", path, .. model, "--out", Path.Combine(_dir, "run")]);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: invalid configuration: teacher", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task A_client_whose_teacher_does_not_fit_the_federation_exits_2_naming_it()
    {
        string table = Teacher("mlp", [64]);
        await using var coordinator = await TestCoordinator.StartAsync(new Dictionary<string, string?> { ["Federation:Clients"] = "1", ["Federation:Rounds"] = "1" });

        var result = await CliProcess.RunAsync(Patience, "client", "--coordinator", coordinator.Address.ToString(), "--client-index", "0",
            "--clients", "1", "--dataset", "synthetic", "--teacher", table);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"teacher '{table}' takes 64 samples", line);
    }

    private string Teacher(string model, int[] inputShape)
    {
        string path = Path.Combine(_dir, $"{model}-{string.Join('x', inputShape)}");
        using var network = ModelFactory.Create(model, null, seed: 1, new DataSpec(inputShape, Dataset.DigitClasses));
        ModelExport.Write(network, new ExportInfo(model, null, inputShape, Dataset.DigitClasses, Rounds: 1, new Dictionary<string, double>()), path);
        return path;
    }
}
