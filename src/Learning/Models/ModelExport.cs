using System.Text.Json;
using TorchSharp.PyBridge;

namespace PoolCompress.Learning;

/// <summary>
/// A trained model taken out of the federation: <c>PATH.safetensors</c>, <c>PATH.pt</c> (a PyTorch state dict,
/// <c>torch.load</c>-able, written with TorchSharp.PyBridge) and <c>PATH.json</c> (what the tensors are: model, head pool,
/// input shape, classes, rounds, metrics). Tensor names are the model's parameter names, e.g. <c>body.conv1.weight</c>.
/// </summary>
public static class ModelExport
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static void Write(FederatedModel model, ExportInfo info, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        model.Network.save_safetensors(path + ".safetensors");
        model.Network.save_py(path + ".pt");
        File.WriteAllText(path + ".json", JsonSerializer.Serialize(info, Json));
    }

    /// <summary>A fresh model built from <c>PATH.json</c> with the weights of <c>PATH.safetensors</c>.</summary>
    public static FederatedModel Read(string path)
    {
        var info = ReadInfo(path);
        var model = ModelFactory.Create(info.Model, info.HeadPool, seed: 0, new DataSpec(info.InputShape, info.Classes));
        model.Network.load_safetensors(path + ".safetensors");
        return model;
    }

    /// <summary>What <c>PATH.json</c> says the exported model is.</summary>
    public static ExportInfo ReadInfo(string path) =>
        JsonSerializer.Deserialize<ExportInfo>(File.ReadAllText(path + ".json"), Json) ?? throw new DataFormatException($"{path}.json is empty");
}

/// <summary>What an exported model is, written beside its weights.</summary>
public sealed record ExportInfo(
    string Model,
    string? HeadPool,
    IReadOnlyList<int> InputShape,
    IReadOnlyList<string> Classes,
    int Rounds,
    IReadOnlyDictionary<string, double> Metrics);
