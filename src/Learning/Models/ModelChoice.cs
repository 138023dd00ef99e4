namespace PoolCompress.Learning;

/// <summary>A grid's model entry <c>MODEL[+HEAD_POOL]</c>, e.g. <c>cnn</c> or <c>cnn+avg:2</c>.</summary>
public sealed record ModelChoice(string Model, string? HeadPool)
{
    public static ModelChoice Parse(string text)
    {
        string[] parts = text.Split('+', 2, StringSplitOptions.TrimEntries);
        return new ModelChoice(parts[0], parts.Length == 2 && parts[1].Length > 0 ? parts[1].ToLowerInvariant() : null);
    }

    public override string ToString() => HeadPool is null ? Model : $"{Model}+{HeadPool}";
}
