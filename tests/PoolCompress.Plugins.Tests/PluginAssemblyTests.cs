using PoolCompress.Compression.Codecs;

namespace PoolCompress.Plugins.Tests;

/// <summary>Files that are no plug-in of the kind asked for are refused with a message naming the file.</summary>
public sealed class PluginAssemblyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("poolcompress-plugins-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused()
    {
        var text = Path.Combine(_dir, "stage.dll");
        File.WriteAllText(text, "not an assembly\n");

        var error = Assert.Throws<PluginAssemblyException>(() => PluginAssembly.Instances<ICodecStageDefinition>(text, "codec stage"));

        Assert.Equal($"codec stage assembly '{text}' is not a .NET assembly", error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused()
    {
        var missing = Path.Combine(_dir, "missing.dll");

        var error = Assert.Throws<PluginAssemblyException>(() => PluginAssembly.Instances<ICodecStageDefinition>(missing, "codec stage"));

        Assert.Equal($"codec stage assembly '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void An_assembly_without_a_class_of_the_contract_is_refused()
    {
        var plugins = typeof(PluginAssembly).Assembly.Location;

        var error = Assert.Throws<PluginAssemblyException>(() => PluginAssembly.Instances<ICodecStageDefinition>(plugins, "codec stage"));

        Assert.Equal($"codec stage assembly '{plugins}' holds no codec stage: no public non-abstract class implementing {typeof(ICodecStageDefinition).FullName} with a public parameterless constructor", error.Message);
    }
}
