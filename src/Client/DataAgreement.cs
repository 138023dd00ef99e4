using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>A client's data checked against the federation's configuration, with labels numbered as the federation numbers its classes.</summary>
public static class DataAgreement
{
    /// <summary>The client's data, its labels renumbered to the federation's classes.</summary>
    /// <exception cref="DataFormatException">The data does not fit: the message says what differs.</exception>
    public static Dataset Align(Dataset data, FederationConfig config)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(config);
        if (config.InputShape.Count == 0 && config.ClassNames.Count == 0) return data;
        var differences = SpecOf(config).Differences(data.Shape, data.Classes);
        if (differences.Count > 0)
            throw new DataFormatException($"this client's data does not fit the federation: {string.Join("; ", differences)}");
        return data.WithClasses(config.ClassNames);
    }

    /// <summary>The federation's samples and classes; a coordinator that states none trains on the digits.</summary>
    public static DataSpec SpecOf(FederationConfig config) =>
        config.InputShape.Count == 0 && config.ClassNames.Count == 0 ? DataSpec.Digits : new DataSpec([.. config.InputShape], [.. config.ClassNames]);

    /// <summary>States the data's sample shape and classes in a join request, for the coordinator to check.</summary>
    public static void Describe(Dataset data, JoinRequest request)
    {
        request.InputShape.Add(data.Shape);
        request.ClassNames.Add(data.Classes);
    }
}
