using System.Globalization;
using Google.Protobuf.Reflection;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Services;

/// <summary>
/// The federation options clients are told, moved between <see cref="FederationSettings"/> and the proto's
/// <see cref="FederationConfig"/> by their declarations (<see cref="FederationOption.ProtoField"/>), so that telling
/// clients one more option is one more field name on its declaration.
/// </summary>
public static class ProtoOptions
{
    /// <summary>The declarations that name a proto field, checked once: a misspelt field or a missing accessor fails at start-up.</summary>
    public static IReadOnlyList<FederationOption> Declared { get; } = FederationOptions.All
        .Where(o => o.ProtoField is not null)
        .Select(o => { o.Accept(new Checker()); return o; })
        .ToList();

    public static void Write(FederationSettings settings, FederationConfig config)
    {
        foreach (var option in Declared) option.Accept(new Writer(settings, config));
    }

    /// <summary>The settings a config tells, over the defaults for what it does not.</summary>
    public static FederationSettings Read(FederationConfig config)
    {
        var settings = new FederationSettings();
        foreach (var option in Declared) option.Accept(new Reader(settings, config));
        return settings;
    }

    /// <summary>The proto field an option names.</summary>
    public static FieldDescriptor FieldOf(FederationOption option) =>
        FederationConfig.Descriptor.FindFieldByName(option.ProtoField)
        ?? throw new InvalidOperationException($"Option {option.Name}: FederationConfig has no field '{option.ProtoField}'");

    /// <summary>The declared value as the field's type (float32 reals; a negative seed as its two's complement).</summary>
    private static object ToField(FieldType type, object? value) => type switch
    {
        FieldType.Int32 => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        FieldType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        FieldType.UInt64 => unchecked((ulong)Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        FieldType.Float => Convert.ToSingle(value, CultureInfo.InvariantCulture),
        FieldType.String => value?.ToString() ?? "",
        _ => throw new NotSupportedException($"FederationConfig fields of type {type} carry no option"),
    };

    /// <summary>
    /// The field's value as the declared type. A float32 comes back as the shortest decimal that names it, so 0.2
    /// returns as 0.2 rather than 0.20000000298; an empty string comes back unset.
    /// </summary>
    private static T FromField<T>(object value) => value switch
    {
        float f => (T)Convert.ChangeType(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), typeof(T), CultureInfo.InvariantCulture),
        ulong u => (T)(object)unchecked((long)u),
        "" => default!,
        _ => (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
    };

    private sealed class Checker : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option)
        {
            _ = FieldOf(option);
            if (option.Get is null || option.Set is null)
                throw new InvalidOperationException($"Option {option.Name} names proto field '{option.ProtoField}' but cannot be read from and written to settings");
            return true;
        }
    }

    private sealed class Writer(FederationSettings settings, FederationConfig config) : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option)
        {
            var field = FieldOf(option);
            field.Accessor.SetValue(config, ToField(field.FieldType, option.Get!(settings)));
            return true;
        }
    }

    private sealed class Reader(FederationSettings settings, FederationConfig config) : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option)
        {
            option.Set!(settings, FromField<T>(FieldOf(option).Accessor.GetValue(config)));
            return true;
        }
    }
}
