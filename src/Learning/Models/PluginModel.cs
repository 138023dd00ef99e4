using System.Reflection;
using static TorchSharp.torch;

namespace PoolCompress.Learning;

/// <summary>
/// A model from a plug-in assembly, as the catalog holds it: its name, description and example input read once,
/// and any failure of its <see cref="Build"/> turned into an error naming the type and the file, which the
/// federation's validation reports as a configuration error.
/// </summary>
internal sealed class PluginModel(IModelDefinition definition, string source, string name, string description, IReadOnlyList<int> exampleInput)
    : IModelDefinition
{
    /// <summary>The type and file it came from, e.g. <c>Example.LeNet in /models/lenet.dll</c>.</summary>
    public string Source => source;

    public string Name => name;

    public string Description => description;

    public IReadOnlyList<int> ExampleInput => exampleInput;

    public nn.Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool)
    {
        try
        {
            return definition.Build(inputShape, classCount, headPool);
        }
        catch (Exception e)
        {
            throw new ArgumentException(
                $"model '{Name}' ({Source}) cannot be built for {InputShape.Format(inputShape)} samples, {classCount} classes and head pool {headPool ?? "none"}: {e.Message}", e);
        }
    }

    /// <summary>Constructs the type and builds its network once for its example input, so a broken model fails here, where the file is named.</summary>
    /// <exception cref="ModelAssemblyException">The constructor, a property or <see cref="IModelDefinition.Build"/> throws, or the network has no <c>head</c> or holds buffers.</exception>
    public static PluginModel Create(Type type, string file)
    {
        string source = $"{type.FullName} in {file}";
        IModelDefinition definition;
        try
        {
            definition = (IModelDefinition)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            throw Failure(source, "its constructor", e.InnerException ?? e);
        }
        string name, description;
        int[] exampleInput;
        try
        {
            (name, description, exampleInput) = (definition.Name, definition.Description ?? "", [.. definition.ExampleInput]);
        }
        catch (Exception e)
        {
            throw Failure(source, "reading Name, Description or ExampleInput", e);
        }
        if (string.IsNullOrWhiteSpace(name)) throw new ModelAssemblyException($"model {source} has no name (IModelDefinition.Name is empty)");
        const int probeClasses = 2;
        nn.Module<Tensor, Tensor> network;
        try
        {
            network = definition.Build(exampleInput, probeClasses, null);
        }
        catch (Exception e)
        {
            throw Failure(source, $"Build({InputShape.Format(exampleInput)}, {probeClasses} classes) for its own example input", e);
        }
        using (network)
        {
            if (!network.named_parameters().Any(p => p.name.StartsWith(FederatedModel.HeadModuleName + ".", StringComparison.Ordinal)))
                throw new ModelAssemblyException($"model {source}: its network has no parameters under a submodule named '{FederatedModel.HeadModuleName}' (register the classifier as '{FederatedModel.HeadModuleName}', e.g. with BodyAndHead)");
            if (network.named_buffers().FirstOrDefault() is { name: { } buffer })
                throw new ModelAssemblyException($"model {source}: its network holds buffer '{buffer}', which a federation does not average (use GroupNorm rather than BatchNorm)");
        }
        return new PluginModel(definition, source, name, description, exampleInput);
    }

    private static ModelAssemblyException Failure(string source, string what, Exception e) =>
        new($"model {source}: {what} threw {e.GetType().Name}: {e.Message}", e);
}
