using System.Globalization;

namespace PoolCompress.Client.Attacks;

/// <summary>
/// Which clients of a simulation attack and how: <c>NAME[:k=v,...]@I,J,...</c> with client indices, e.g.
/// <c>signflip:scale=10@0,1</c>, <c>random:scale=1@2</c>, <c>replace:value=0,scale=10@3,4</c>. Adding an attack is one
/// file and one line in <see cref="Attacks"/>.
/// </summary>
public sealed class ClientAttack
{
    private delegate IUpdateFilter Factory(Func<string, double, double> parameter, int clientIndex);

    private static readonly Dictionary<string, (string[] Parameters, Factory Create)> Attacks = new(StringComparer.Ordinal)
    {
        ["signflip"] = (["scale"], (p, _) => new SignFlipAttack(p("scale", 10))),
        ["random"] = (["scale"], (p, client) => new RandomUpdateAttack(p("scale", 1), client)),
        ["replace"] = (["value", "scale"], (p, _) => new ModelReplacementAttack(p("value", 0), p("scale", 10))),
    };

    private readonly IReadOnlyDictionary<int, IUpdateFilter> _byClient;

    private ClientAttack(IReadOnlyDictionary<int, IUpdateFilter> byClient) => _byClient = byClient;

    public static IEnumerable<string> Names => Attacks.Keys;

    /// <summary>The filter of client <paramref name="clientIndex"/>, or null for an honest client.</summary>
    public IUpdateFilter? For(int clientIndex) => _byClient.GetValueOrDefault(clientIndex);

    /// <summary>Parses a spec for a federation of <paramref name="clients"/>; an <see cref="ArgumentException"/> says what is wrong.</summary>
    public static ClientAttack Parse(string text, int clients)
    {
        string Fail(string problem) => throw new ArgumentException($"attack '{text}': {problem}; e.g. signflip:scale=10@0,1 (attacks: {string.Join(", ", Names)})");
        int at = text.LastIndexOf('@');
        if (at < 0) Fail("name the attacking clients after '@'");
        string head = text[..at].Trim();
        int colon = head.IndexOf(':');
        string name = (colon < 0 ? head : head[..colon]).Trim().ToLowerInvariant();
        if (!Attacks.TryGetValue(name, out var attack)) Fail($"unknown attack '{name}'");
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string pair in colon < 0 ? [] : head[(colon + 1)..].Split(','))
        {
            string[] parts = pair.Split('=', 2);
            string key = parts[0].Trim().ToLowerInvariant();
            if (!attack.Parameters.Contains(key)) Fail($"{name} takes {string.Join(", ", attack.Parameters)}, not '{pair.Trim()}'");
            if (parts.Length < 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                Fail($"{key} must be a finite number, got '{pair.Trim()}'");
            if (!values.TryAdd(key, value)) Fail($"{key} is given twice");
        }
        var byClient = new Dictionary<int, IUpdateFilter>();
        foreach (string item in text[(at + 1)..].Split(','))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= clients)
                Fail($"attacking clients are indices from 0 to {clients - 1}, got '{item.Trim()}'");
            if (!byClient.TryAdd(index, attack.Create((key, fallback) => values.GetValueOrDefault(key, fallback), index)))
                Fail($"client {index} is named twice");
        }
        return new ClientAttack(byClient);
    }
}
