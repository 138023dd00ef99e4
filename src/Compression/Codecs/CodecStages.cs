namespace PoolCompress.Compression.Codecs;

/// <summary>
/// The stages codec specs can name: the built-in ones below, in the order listings show them, then those registered
/// later (plug-ins) in the order they came. Every list of stage names, in the parser's messages and in a client's join
/// request, comes from here.
/// </summary>
public static class CodecStages
{
    private static readonly Lock Gate = new();

    private static ICodecStageDefinition[] _all =
    [
        new StageWithoutArguments("none", StageRole.ValueCoder, _ => DenseFloat32Coder.Instance),
        new StageWithoutArguments("fp16", StageRole.ValueCoder, _ => Float16Coder.Instance),
        new StageWithoutArguments("bf16", StageRole.ValueCoder, _ => new BFloat16Coder()),
        new UniformQuantizer.Definition(),
        new StageWithoutArguments("ternary", StageRole.ValueCoder, _ => new TernaryCoder()),
        new TopKSparsifier.Definition(),
        new RandomKSparsifier.Definition(),
        new ThresholdSparsifier.Definition(),
        new WindowPooler.Definition(),
        new LowRankFactorizer.Definition(),
    ];

    public static IReadOnlyList<ICodecStageDefinition> All => Volatile.Read(ref _all);

    public static IReadOnlyList<string> Names => [.. All.Select(s => s.Name)];

    /// <summary>The names of the stages listed under <paramref name="role"/>, comma-separated, for messages.</summary>
    public static string NamesOf(StageRole role) => string.Join(", ", All.Where(s => s.Role == role).Select(s => s.Name));

    public static ICodecStageDefinition? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>Adds a stage; registering the same class again does nothing, a name another stage has is refused.</summary>
    /// <exception cref="ArgumentException">The name is taken by another stage or cannot be named in a spec.</exception>
    public static void Register(ICodecStageDefinition stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (string.IsNullOrEmpty(stage.Name) || stage.Name.IndexOfAny([':', '>', ';', '=']) >= 0 || stage.Name.Trim() != stage.Name)
            throw new ArgumentException($"codec stage '{stage.Name}' of {stage.GetType().FullName}: a name must be non-empty, without surrounding spaces and free of ':', '>', ';' and '='", nameof(stage));
        lock (Gate)
        {
            if (Find(stage.Name) is { } taken)
            {
                if (taken.GetType() == stage.GetType()) return;
                throw new ArgumentException($"codec stage '{stage.Name}' of {stage.GetType().FullName} clashes with {taken.GetType().FullName}, which has that name", nameof(stage));
            }
            Volatile.Write(ref _all, [.. _all, stage]);
        }
    }
}
