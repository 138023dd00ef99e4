namespace PoolCompress.Study;

/// <summary>A study config cannot run; <see cref="Problems"/> names every problem found, one line each.</summary>
public sealed class StudyConfigException : Exception
{
    public StudyConfigException(string path, IReadOnlyList<string> problems)
        : base($"{path} has {problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => $"  - {p}"))}")
    {
        Path = path;
        Problems = problems;
    }

    public string Path { get; }

    public IReadOnlyList<string> Problems { get; }
}
