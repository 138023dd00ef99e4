using System.Globalization;

namespace PoolCompress.Contracts;

/// <summary>The catalog whose names an option takes, so that help lists what is registered, not what was once typed.</summary>
public enum NameCatalog { None, Models, Datasets, Partitions, Strategies, CodecStages, LinkModes, EvaluatingClients }

/// <summary>
/// One federation option, declared once in <see cref="FederationOptions"/>: its name (the CLI's <c>--NAME</c> and a
/// study's <c>base.NAME</c>), help, default, rule and the configuration key it binds to. The CLI's options, a study's
/// base keys, the validator's per-option checks and the settings-to-configuration mapping are derived from it.
/// </summary>
public abstract class FederationOption
{
    public required string Name { get; init; }
    public required string Help { get; init; }
    /// <summary>Whether a study's <c>base</c> section takes it.</summary>
    public bool InStudy { get; init; }
    public NameCatalog Names { get; init; }
    /// <summary>The configuration key it binds to when not a <see cref="FederationSettings"/> property.</summary>
    public string? ConfigKey { get; init; }
    /// <summary>
    /// The field of the proto's <c>FederationConfig</c> that tells joining clients this option (e.g. <c>local_epochs</c>);
    /// null for options clients are not told. The coordinator's mapping converts between the declared type and the field's.
    /// </summary>
    public string? ProtoField { get; init; }

    /// <summary>Calls <paramref name="visitor"/> with this option as what it is, a <see cref="FederationOption{T}"/>.</summary>
    public abstract TResult Accept<TResult>(IFederationOptionVisitor<TResult> visitor);

    /// <summary>The default as help shows it; null when there is none to show.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>What is wrong with the option's value in <paramref name="settings"/>; null when nothing is.</summary>
    public abstract string? Problem(FederationSettings settings);

    protected static string Invariant(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>Work done per option with its value type in hand (a CLI option, a study key's read).</summary>
public interface IFederationOptionVisitor<out TResult>
{
    TResult Visit<T>(FederationOption<T> option);
}

/// <typeparam name="T">The value's type on the command line and in a study.</typeparam>
public sealed class FederationOption<T> : FederationOption
{
    /// <summary>The settings property it binds to (Federation:NAME); null for options that bind elsewhere (<see cref="FederationOption.ConfigKey"/>).</summary>
    public string? Setting { get; init; }
    public Func<FederationSettings, T>? Get { get; init; }
    public Action<FederationSettings, T>? Set { get; init; }
    /// <summary>The default help shows when it is not the settings' own (for options that bind elsewhere, or say more).</summary>
    public string? Default { get; init; }
    public Func<T, bool>? IsValid { get; init; }
    /// <summary>What a valid value is, as in "NAME must be at least 1, got 0".</summary>
    public string? Rule { get; init; }
    /// <summary>The configuration value of a value given on the command line or in a study, when not its invariant text.</summary>
    public Func<T, string>? ToConfigValue { get; init; }
    /// <summary>The settings property a given value binds to, when that depends on the value.</summary>
    public Func<T, string>? SettingFor { get; init; }

    public override TResult Accept<TResult>(IFederationOptionVisitor<TResult> visitor) => visitor.Visit(this);

    public override string? DefaultText => Default ?? (Get is null ? null : Shown(Get(new FederationSettings())));

    /// <summary>A default worth showing: zero, false and unset say nothing.</summary>
    private static string? Shown(T value) => value is null || Equals(value, default(T)) ? null : Invariant(value);

    public override string? Problem(FederationSettings settings) =>
        IsValid is null || Get is null || IsValid(Get(settings)) ? null : Describe(Get(settings));

    /// <summary>The problem with <paramref name="value"/> as the validator words it.</summary>
    public string Describe(T value) => $"{Name} {Rule}, got {value}";

    /// <summary>The configuration key and value a given value becomes.</summary>
    public KeyValuePair<string, string?> ToConfiguration(T value) => KeyValuePair.Create<string, string?>(
        ConfigKey ?? $"{FederationSettings.SectionName}:{SettingFor?.Invoke(value) ?? Setting}",
        ToConfigValue is null ? Invariant(value) : ToConfigValue(value));
}
