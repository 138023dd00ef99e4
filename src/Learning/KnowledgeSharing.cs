namespace PoolCompress.Learning;

/// <summary>
/// Federated distillation's rules that the coordinator and every client must apply alike: which network a client
/// trains, which transfer samples a round scores, and what a soft label may hold.
/// </summary>
public static class KnowledgeSharing
{
    /// <summary>The name of the one tensor of a federated distillation's shared state: the consensus soft labels.</summary>
    public const string ConsensusTensor = "consensus";

    /// <summary>How far above 1 a decoded probability may be: room for float rounding, no more.</summary>
    public const float Tolerance = 1e-3f;

    /// <summary>
    /// The most a decoded row may sum to: a quantizer rounds each class it keeps by up to half a step, so a row of a
    /// few kept classes can sum a little over 1 (the client completes it to 1); more is not a soft label.
    /// </summary>
    public const float MaxRowSum = 1.5f;

    /// <summary>The networks of <paramref name="clientModels"/>, in order.</summary>
    public static IReadOnlyList<string> Models(string clientModels) =>
        [.. clientModels.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>
    /// The network a client trains: the models cycled over the clients by the number its id ends in (client-0003 the
    /// fourth), or, for an id without one, by a stable hash of the id.
    /// </summary>
    public static string ModelOf(string clientId, string clientModels)
    {
        var models = Models(clientModels);
        if (models.Count == 0) throw new ArgumentException("no client models given", nameof(clientModels));
        int digits = clientId.Length - clientId.TrimEnd("0123456789".ToCharArray()).Length;
        ulong ordinal = digits is > 0 and <= 18 ? ulong.Parse(clientId.AsSpan(clientId.Length - digits), System.Globalization.CultureInfo.InvariantCulture)
            : StableHash(clientId);
        return models[(int)(ordinal % (ulong)models.Count)];
    }

    /// <summary>FNV-1a over the id's characters: the same on every machine and run, unlike string.GetHashCode.</summary>
    private static ulong StableHash(string text)
    {
        ulong hash = 14_695_981_039_346_656_037;
        foreach (char c in text) hash = (hash ^ c) * 1_099_511_628_211;
        return hash;
    }

    /// <summary>
    /// The transfer samples whose soft labels, uploaded by clients that trained from model version
    /// <paramref name="version"/>, make the consensus of version + 1: <paramref name="count"/> of the
    /// <paramref name="available"/>, a seeded draw without replacement (all of them when they are no more), ascending.
    /// </summary>
    public static int[] SamplesOf(int version, int count, int available, long seed)
    {
        if (count >= available) return [.. Enumerable.Range(0, available)];
        var random = new Random(unchecked((int)(seed * 1_000_003 + version)));
        var order = Enumerable.Range(0, available).ToArray();
        random.Shuffle(order);
        var chosen = order[..count];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>
    /// Why <paramref name="softLabels"/> (rows of <paramref name="classes"/> probabilities, a top-classes codec's zeros
    /// allowed) is not a set of soft labels; null when it is.
    /// </summary>
    public static string? Problem(ReadOnlySpan<float> softLabels, int classes)
    {
        if (classes < 1 || softLabels.Length % classes != 0) return $"{softLabels.Length} values are not rows of {classes} class probabilities";
        for (int row = 0; row < softLabels.Length / classes; row++)
        {
            var probabilities = softLabels.Slice(row * classes, classes);
            float sum = 0;
            for (int c = 0; c < classes; c++)
            {
                float p = probabilities[c];
                if (!(p >= 0 && p <= 1 + Tolerance)) return $"soft label {row} gives class {c} the probability {p}; probabilities must be in [0, 1]";
                sum += p;
            }
            if (sum > MaxRowSum) return $"soft label {row} sums to {sum}; a row's probabilities may not sum to more than {MaxRowSum} (1 and a quantizer's rounding)";
        }
        return null;
    }
}
