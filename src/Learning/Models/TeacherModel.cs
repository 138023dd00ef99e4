using System.Text.Json;
using TorchSharp.PyBridge;

namespace PoolCompress.Learning;

/// <summary>
/// The teacher a student is distilled from: a trained model every site holds as <c>export</c> writes one
/// (<c>PATH.safetensors</c> with <c>PATH.json</c> saying what it is), or bare weights whose architecture is named
/// separately (<c>MODEL[+HEAD_POOL]</c>). It is built for the federation's samples and classes and refused, with a
/// message naming the file, when it was trained on others or its weights do not fit.
/// </summary>
public static class TeacherModel
{
    private const string Weights = ".safetensors";

    /// <param name="path">PATH of an export, or its PATH.safetensors.</param>
    /// <param name="modelSpec">The teacher's architecture, e.g. <c>cnn</c>; needed when there is no PATH.json, and must agree with it otherwise.</param>
    /// <exception cref="ArgumentException">The files are missing or unreadable, or the teacher does not fit the federation.</exception>
    public static FederatedModel Load(string path, string? modelSpec, DataSpec federation)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(federation);
        string stem = path.EndsWith(Weights, StringComparison.OrdinalIgnoreCase) ? path[..^Weights.Length] : path;
        if (!File.Exists(stem + Weights)) throw new ArgumentException($"teacher '{path}': {stem}{Weights} does not exist");
        var choice = Architecture(stem, modelSpec, federation);
        FederatedModel model;
        try
        {
            model = ModelFactory.Create(choice.Model, choice.HeadPool, seed: 0, federation);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"teacher '{path}': {e.Message}", e);
        }
        return WithWeights(model, stem + Weights, choice);
    }

    private static ModelChoice Architecture(string stem, string? modelSpec, DataSpec federation)
    {
        var given = string.IsNullOrWhiteSpace(modelSpec) ? null : ModelChoice.Parse(modelSpec);
        if (!File.Exists(stem + ".json"))
            return given ?? throw new ArgumentException($"teacher '{stem}': {stem}.json does not say what the model is; give its architecture (teacher-model, e.g. cnn or cnn+max:2)");
        ExportInfo info;
        try
        {
            info = ModelExport.ReadInfo(stem);
        }
        catch (Exception e) when (e is JsonException or DataFormatException or IOException)
        {
            throw new ArgumentException($"teacher '{stem}': {stem}.json is not an export's description: {e.Message}", e);
        }
        var described = new ModelChoice(info.Model, info.HeadPool);
        if (given is not null && given != described)
            throw new ArgumentException($"teacher '{stem}': teacher-model says {given} but {stem}.json says {described}");
        if (!info.InputShape.SequenceEqual(federation.InputShape) || !info.Classes.SequenceEqual(federation.Classes))
            throw new ArgumentException($"teacher '{stem}' takes {InputShape.Format(info.InputShape)} samples of the classes {string.Join(",", info.Classes)}; " +
                                        $"the federation's are {InputShape.Format(federation.InputShape)} of {string.Join(",", federation.Classes)}");
        return described;
    }

    private static FederatedModel WithWeights(FederatedModel model, string file, ModelChoice choice)
    {
        try
        {
            model.Network.load_safetensors(file);
            model.Network.eval();
            return model;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new ArgumentException($"teacher: {file} does not hold the weights of a {choice} for the federation's samples: {e.Message}", e);
        }
    }
}
