namespace PoolCompress.Compression.Codecs;

/// <summary>A stage that takes no arguments, such as <c>fp16</c>: one registration line needs no class of its own.</summary>
public sealed class StageWithoutArguments(string name, StageRole role, Func<CodecStage, CodecStage> create) : ICodecStageDefinition
{
    public string Name => name;

    public StageRole Role => role;

    public ConfiguredStage Configure(ReadOnlySpan<string> arguments)
    {
        StageArguments.ExpectNone(arguments, name);
        return new ConfiguredStage(name, role, create);
    }
}
