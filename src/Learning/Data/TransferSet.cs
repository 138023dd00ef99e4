namespace PoolCompress.Learning;

/// <summary>
/// Federated distillation's transfer set: samples every site holds, read from a file in any format <c>--data</c> reads,
/// whose labels are never used. Every site must hold the same samples in the same order, since a round names them by
/// position (KnowledgeSharing.SamplesOf).
/// </summary>
public static class TransferSet
{
    /// <summary>The samples of <paramref name="path"/>, checked to be of the federation's shape and at least <paramref name="needed"/>.</summary>
    /// <exception cref="DataFormatException">The file cannot be read, or holds other or too few samples.</exception>
    public static Dataset Load(string path, DataSpec spec, int needed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new DataFormatException($"transfer data '{path}' does not exist");
        var data = DataFormats.Detect(path).Read(path, new DataReadOptions()).Data;
        if (!data.Shape.SequenceEqual(spec.InputShape))
            throw new DataFormatException($"transfer data '{path}' holds samples of shape {InputShape.Format(data.Shape)}; the federation's are {InputShape.Format(spec.InputShape)}");
        if (data.Count < needed)
            throw new DataFormatException($"transfer data '{path}' holds {data.Count} samples; each round scores {needed} (transfer-samples)");
        return data;
    }
}
