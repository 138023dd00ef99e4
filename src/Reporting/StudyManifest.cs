using PoolCompress.Contracts;
using System.Text.Json;

namespace PoolCompress.Reporting;

/// <summary>
/// STUDY_DIR/study.json, written by the study runner before any run starts: what the study is and which runs it
/// plans, so the report can name runs that have not finished and compare each run with its dense reference.
/// </summary>
public sealed record StudyManifest(
    string Name,
    double? TargetAccuracy,
    LinkMode LinkMode,
    string? LinkRule,
    IReadOnlyList<StudyManifestRun> Runs)
{
    public const string FileName = "study.json";

    /// <summary>
    /// The rounds before the last at which the report also compares each run with its reference, ascending; absent
    /// from manifests written before checkpoints existed.
    /// </summary>
    public IReadOnlyList<int> Checkpoints { get; init; } = [];

    /// <summary>Where each run writes its RunFiles (summary.json, rounds.csv).</summary>
    public static string RunDirectory(string studyDir, string runId) => Path.Combine(studyDir, "runs", runId);

    public void Write(string studyDir)
    {
        Directory.CreateDirectory(studyDir);
        RunFiles.WriteAtomically(Path.Combine(studyDir, FileName), JsonSerializer.Serialize(this, RunFiles.Json));
    }

    /// <exception cref="FileNotFoundException">STUDY_DIR has no study.json, so it was not made by the study runner.</exception>
    public static StudyManifest Read(string studyDir)
    {
        string path = Path.Combine(studyDir, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} does not exist; is '{studyDir}' the --out folder of a study?", path);
        return JsonSerializer.Deserialize<StudyManifest>(File.ReadAllText(path), RunFiles.Json)
            ?? throw new InvalidDataException($"{path} is empty");
    }
}
