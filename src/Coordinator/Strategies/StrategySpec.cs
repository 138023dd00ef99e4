using System.Globalization;

namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// A parsed <c>NAME[:k=v,...]</c> strategy spec, such as <c>fedadam:lr=0.01,b1=0.9,b2=0.99,tau=1e-3</c>. A strategy
/// reads its parameters through the typed getters, which check each value's range; a key no strategy read is an error.
/// Other options spelled the same way (<c>--clip-norm adaptive:factor=1</c>) parse through it under their own name.
/// </summary>
public sealed class StrategySpec
{
    private readonly Dictionary<string, string> _parameters;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private readonly string _option;

    private StrategySpec(string option, string text, string name, Dictionary<string, string> parameters)
    {
        _option = option;
        Text = text;
        Name = name;
        _parameters = parameters;
    }

    public string Text { get; }

    public string Name { get; }

    /// <param name="option">the option the spec was given for, as error messages name it.</param>
    public static StrategySpec Parse(string? text, string option = "strategy")
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{option} must not be empty");
        string trimmed = text.Trim();
        int colon = trimmed.IndexOf(':');
        string name = (colon < 0 ? trimmed : trimmed[..colon]).Trim().ToLowerInvariant();
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
        {
            foreach (string pair in trimmed[(colon + 1)..].Split(','))
            {
                int equals = pair.IndexOf('=');
                string key = equals < 0 ? "" : pair[..equals].Trim().ToLowerInvariant();
                if (key.Length == 0)
                    throw new ArgumentException($"{option} '{trimmed}': parameters are key=value pairs separated by commas, got '{pair.Trim()}'");
                if (!parameters.TryAdd(key, pair[(equals + 1)..].Trim()))
                    throw new ArgumentException($"{option} '{trimmed}': parameter '{key}' is given twice");
            }
        }
        return new StrategySpec(option, trimmed, name, parameters);
    }

    /// <summary>A parameter greater than zero.</summary>
    public double Positive(string key, double defaultValue) => Read(key, defaultValue, v => v > 0, "a positive number");

    /// <summary>A parameter greater than zero; null when the spec leaves it out.</summary>
    public double? OptionalPositive(string key) => _parameters.ContainsKey(key) ? Positive(key, 0) : Mark(key);

    /// <summary>A parameter of zero or more.</summary>
    public double NonNegative(string key, double defaultValue) => Read(key, defaultValue, v => v >= 0, "a number of at least 0");

    /// <summary>A decay factor in [0, 1).</summary>
    public double Decay(string key, double defaultValue) => Read(key, defaultValue, v => v is >= 0 and < 1, "a number in [0, 1)");

    /// <summary>A fraction in [0, <paramref name="below"/>).</summary>
    public double Fraction(string key, double defaultValue, double below) =>
        Read(key, defaultValue, v => v >= 0 && v < below, $"a number in [0, {below.ToString(CultureInfo.InvariantCulture)})");

    /// <summary>A whole number of at least <paramref name="minimum"/>; null when the spec leaves it out and it has no default.</summary>
    public int? Count(string key, int? defaultValue, int minimum)
    {
        _read.Add(key);
        if (!_parameters.ContainsKey(key)) return defaultValue;
        return (int)Read(key, minimum, v => v >= minimum && v <= int.MaxValue && v == Math.Floor(v), $"a whole number of at least {minimum}");
    }

    /// <summary>Throws when the spec names a parameter the strategy did not read (call it after reading them all).</summary>
    public void RejectUnread()
    {
        if (_parameters.Keys.FirstOrDefault(k => !_read.Contains(k)) is { } unknown)
        {
            string allowed = string.Join(", ", _read);
            throw new ArgumentException($"{_option} '{Text}': unknown parameter '{unknown}'; {Name} takes {(allowed.Length == 0 ? "no parameters" : allowed)}");
        }
    }

    private double? Mark(string key)
    {
        _read.Add(key);
        return null;
    }

    private double Read(string key, double defaultValue, Func<double, bool> valid, string rule)
    {
        _read.Add(key);
        if (!_parameters.TryGetValue(key, out string? text)) return defaultValue;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || !valid(value))
            throw new ArgumentException($"{_option} '{Text}': {key} must be {rule}, got '{text}'");
        return value;
    }
}
