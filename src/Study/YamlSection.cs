using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace PoolCompress.Study;

/// <summary>
/// One mapping of a study config, read key by key. Every problem (unknown key, wrong type) is recorded with its
/// line and the dotted key, and the read returns null, so that one pass finds every problem in the file.
/// </summary>
internal sealed class YamlSection
{
    private delegate bool Parser<T>(string text, out T value);

    private readonly string _prefix;
    private readonly Dictionary<string, YamlNode> _values = [];
    private readonly List<string> _problems;

    private YamlSection(string prefix, List<string> problems)
    {
        _prefix = prefix;
        _problems = problems;
    }

    /// <summary>Null, with a problem recorded, when <paramref name="node"/> is not a mapping.</summary>
    public static YamlSection? Read(YamlNode node, string path, IReadOnlyList<string> allowedKeys, List<string> problems)
    {
        if (node is not YamlMappingNode mapping)
        {
            problems.Add($"{At(node)}{(path.Length == 0 ? "the config" : path)} must be a mapping of 'key: value' lines");
            return null;
        }
        var section = new YamlSection(path.Length == 0 ? "" : path + ".", problems);
        foreach (var (keyNode, value) in mapping.Children)
        {
            string key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (allowedKeys.Contains(key)) section._values[key] = value;
            else problems.Add($"{At(keyNode)}unknown key '{section._prefix}{key}'; allowed: {string.Join(", ", allowedKeys)}");
        }
        return section;
    }

    public YamlNode? Node(string key) => _values.GetValueOrDefault(key);

    public string? String(string key) => Node(key) is { } node ? Text(node, key) : null;

    public int? Int(string key) => Scalar<int>(key, "a whole number", (string s, out int v) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v));

    public double? Double(string key) => Scalar<double>(key, "a number", (string s, out double v) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v));

    /// <summary>A list of strings; a single value stands for a list of one.</summary>
    public IReadOnlyList<string>? Strings(string key) => Node(key) switch
    {
        null => null,
        YamlSequenceNode sequence => [.. sequence.Children.Select(item => Text(item, key)).OfType<string>()],
        var node => Text(node, key) is { } text ? [text] : [],
    };

    public IReadOnlyList<long>? Longs(string key) => Strings(key)?.Select(text =>
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)) return (long?)value;
        Problem(Node(key)!, $"{_prefix}{key} must list whole numbers, got '{text}'");
        return null;
    }).OfType<long>().ToList();

    /// <summary>Records a problem about a key's value, at the value's line.</summary>
    public void Problem(string key, string message) => Problem(Node(key)!, message);

    private T? Scalar<T>(string key, string expected, Parser<T> parse) where T : struct
    {
        if (Node(key) is not { } node || Text(node, key) is not { } text) return null;
        if (parse(text, out T value)) return value;
        Problem(node, $"{_prefix}{key} must be {expected}, got '{text}'");
        return null;
    }

    private string? Text(YamlNode node, string key)
    {
        if (node is YamlScalarNode { Value: { } value }) return value;
        Problem(node, $"{_prefix}{key} must be a single value, not a list or mapping");
        return null;
    }

    private void Problem(YamlNode node, string message) => _problems.Add(At(node) + message);

    private static string At(YamlNode node) => $"line {node.Start.Line}: ";
}
