using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>Parses partition specs: <c>iid</c>, <c>dirichlet:ALPHA</c>, <c>shards:K</c>.</summary>
public static class Partitioners
{
    public static IReadOnlyList<string> Kinds { get; } = ["iid", "dirichlet:ALPHA", "shards:K"];

    public static IPartitioner Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Trim().ToLowerInvariant().Split(':', 2);
        string? argument = parts.Length == 2 ? parts[1] : null;
        return parts[0] switch
        {
            "iid" when argument is null => new IidPartitioner(),
            "dirichlet" when double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha)
                              && alpha > 0 && double.IsFinite(alpha) => new DirichletPartitioner(alpha),
            "dirichlet" => throw Invalid(spec, "dirichlet needs a positive concentration, e.g. dirichlet:0.5"),
            "shards" when int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1 => new ShardPartitioner(k),
            "shards" => throw Invalid(spec, "shards needs a whole number of shards per client >= 1, e.g. shards:2"),
            _ => throw Invalid(spec, $"expected one of {string.Join(", ", Kinds)}"),
        };
    }

    private static ArgumentException Invalid(string spec, string reason) =>
        new($"partition '{spec}' is invalid: {reason}", nameof(spec));

    /// <summary>The argument checks every partitioner shares.</summary>
    internal static void Validate(ReadOnlySpan<byte> labels, int clients)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        if (labels.Length < clients)
            throw new ArgumentException($"{labels.Length} samples cannot give each of {clients} clients at least one", nameof(clients));
    }
}
