namespace PoolCompress.Learning;

/// <summary>One line saying what a site's data is, for its log.</summary>
public static class LocalDataSummary
{
    public static string Describe(LocalData data) =>
        $"{string.Join(", ", data.Sources.Select(s => $"{s.Path} ({s.Format}, {s.Samples:N0} samples)"))}: " +
        $"{data.Train.Count:N0} train / {data.Validation.Count:N0} validation, samples {InputShape.Format(data.Train.Shape)}, " +
        $"{data.Train.ClassCount} classes ({string.Join(", ", data.Train.Classes.Take(10))}{(data.Train.ClassCount > 10 ? ", ..." : "")})";
}
