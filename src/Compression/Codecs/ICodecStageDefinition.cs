namespace PoolCompress.Compression.Codecs;

/// <summary>
/// A stage a codec spec can name, as <see cref="CodecStages"/> lists it. A built-in stage is one class implementing
/// this and one line in <see cref="CodecStages"/>; a team's own stage is a public class with a public parameterless
/// constructor in its own assembly, registered with <see cref="CodecStages.Register"/> (plug-ins:
/// <c>PoolCompress.Plugins.PluginAssembly</c>). Encoder and decoder must both know it: the wire header carries the
/// spec text, not the stage.
/// </summary>
public interface ICodecStageDefinition
{
    /// <summary>The name before the first ':' in a spec, e.g. <c>topk</c>.</summary>
    string Name { get; }

    /// <summary>The role the stage is listed under in messages (a <c>topk</c> that may also be global is a sparsifier).</summary>
    StageRole Role { get; }

    /// <summary>The stage <paramref name="arguments"/> (the ':'-separated fields after the name) configure.</summary>
    /// <exception cref="FormatException">The arguments are wrong; the message says what is expected.</exception>
    ConfiguredStage Configure(ReadOnlySpan<string> arguments);
}

/// <summary>A stage as a spec configures it: its canonical text (which the wire header carries, so it must parse back
/// to the same stage), its role here, and how to build it in front of the rest of the chain.</summary>
public sealed record ConfiguredStage(string Text, StageRole Role, Func<CodecStage, CodecStage> Create);
