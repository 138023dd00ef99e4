namespace PoolCompress.Contracts;

/// <summary>
/// What a run trained and was tested on: where the data came from and in which format, its classes and sample
/// shape, and how many samples each client trained and validated on, with the totals and the coordinator's test set.
/// The counts are the clients' claims, so the totals saturate at <see cref="long.MaxValue"/> rather than throw.
/// </summary>
public sealed record DataSummary(
    string Source,
    string Format,
    string? DataDir,
    IReadOnlyList<string> ClassNames,
    string InputShape,
    long Train,
    long Validation,
    long Test,
    IReadOnlyList<ClientData> Clients)
{
    public static DataSummary Create(
        string source, string format, string? dataDir, IReadOnlyList<string> classNames, string inputShape, long test, IReadOnlyList<ClientData> clients) =>
        new(source, format, dataDir, classNames, inputShape,
            ClientFigures.SaturatingSum(clients.Select(c => c.Train)), ClientFigures.SaturatingSum(clients.Select(c => c.Validation)), test, clients);
}
