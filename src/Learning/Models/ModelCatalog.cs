using System.Collections.Concurrent;

namespace PoolCompress.Learning;

/// <summary>The models a federation can name: the zoo below, and those a plug-in assembly adds.</summary>
public static class ModelCatalog
{
    private static readonly ConcurrentDictionary<string, IModelDefinition> Registered = new(
        new IModelDefinition[]
        {
            new MnistCnnDefinition(),
            new CifarCnn(),
            new ResNet8(),
            new SeparableCnn(),
            new TabularMlp(),
        }.ToDictionary(model => model.Name, StringComparer.Ordinal));

    /// <summary>Every model, the zoo first in its listed order, then plug-ins by name.</summary>
    public static IReadOnlyList<IModelDefinition> All =>
        [.. Registered.Values.OrderBy(m => Array.IndexOf(ZooOrder, m.Name) is var i && i >= 0 ? i : int.MaxValue).ThenBy(m => m.Name, StringComparer.Ordinal)];

    private static readonly string[] ZooOrder = ["cnn", "cifar-cnn", "resnet8", "dsconv", "mlp"];

    public static IModelDefinition Find(string name) =>
        Registered.TryGetValue(name, out var model) ? model
            : throw new ArgumentException(
                $"model '{name}' is unknown; available: {string.Join(", ", All.Select(m => m.Name))} (a plug-in model needs its assembly: --model-assembly PATH)", nameof(name));

    /// <summary>Adds a model; a name already taken by another model is refused. Plug-ins come through <see cref="ModelAssemblies"/>.</summary>
    public static void Register(IModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var existing = Registered.GetOrAdd(model.Name, model);
        if (existing.GetType() != model.GetType())
            throw new ArgumentException($"model '{model.Name}' of {model.GetType().FullName} clashes with {existing.GetType().FullName}, which has that name");
    }
}
