using Google.Protobuf;
using Microsoft.Extensions.Options;
using PoolCompress.Coordinator.Models;
using PoolCompress.Coordinator.Services;
using PoolCompress.Coordinator.Strategies;
using PoolCompress.Protos.V1;

namespace PoolCompress.Coordinator.Tests;

/// <summary>The options clients are told go into the proto's FederationConfig and come back out by their declarations alone.</summary>
public sealed class ProtoOptionsTests
{
    /// <summary>FederationConfig's fields that are not options: the model's layout and data, and the strategy's shared mu.</summary>
    private static readonly string[] NotOptions = ["parameter_count", "proximal_mu", "input_shape", "class_names", "layout_fingerprint", "layout"];

    [Fact]
    public void Every_field_of_the_config_is_an_options_declaration_or_known_to_come_from_elsewhere()
    {
        var declared = ProtoOptions.Declared.Select(o => o.ProtoField!).ToList();
        Assert.Equal(declared.Count, declared.Distinct().Count());
        var fields = FederationConfig.Descriptor.Fields.InDeclarationOrder().Select(f => f.Name).Except(NotOptions);
        Assert.Equal(fields.Order(), declared.Order());
    }

    [Fact]
    public void Settings_to_proto_to_settings_keeps_every_declared_option()
    {
        var settings = new FederationSettings();
        foreach (var option in ProtoOptions.Declared) option.Accept(new Unusual(settings));

        var back = ProtoOptions.Read(Written(settings));

        foreach (var option in ProtoOptions.Declared)
            Assert.True(option.Accept(new SameValue(settings, back)), $"{option.Name} changed on its way through FederationConfig.{option.ProtoField}");
    }

    [Fact]
    public void An_unset_string_option_goes_out_empty_and_comes_back_unset()
    {
        var config = Written(new FederationSettings { HeadPool = null });

        Assert.Equal("", config.HeadPool);
        Assert.Null(ProtoOptions.Read(config).HeadPool);
    }

    /// <summary>The wire is the one the hand-written mapping made: the same bytes for the same settings.</summary>
    [Fact]
    public void A_joining_clients_config_has_the_bytes_of_the_former_hand_written_mapping()
    {
        var s = new FederationSettings
        {
            Dataset = "synthetic", Clients = 7, Rounds = 3, LocalEpochs = 4, BatchSize = 16, LearningRate = 0.05, Momentum = 0.9,
            HeadPool = "max:2", Codec = "topk:0.01>q:4", DownlinkCodec = "q:8", Seed = -3, Strategy = "fedprox:mu=0.01",
        };
        using var model = new CoordinatorModel(Options.Create(s), Options.Create(new CoordinatorOptions()));
        var expected = new FederationConfig
        {
            Rounds = 3, LocalEpochs = 4, BatchSize = 16, LearningRate = 0.05f, Model = "cnn", HeadPool = "max:2", Codec = "topk:0.01>q:4",
            DownlinkCodec = "q:8", Seed = unchecked((ulong)-3L), TotalClients = 7, ParameterCount = model.ParameterCount, Momentum = 0.9f,
            ProximalMu = 0.01f, InputShape = { model.DataSpec.InputShape }, ClassNames = { model.DataSpec.Classes }, DistillTemperature = 3, DistillAlpha = 0.5f,
            PruneRounds = 10, TransferSamples = 500,
            LayoutFingerprint = model.Layout.Fingerprint, Layout = { model.Layout.Select(t => new TensorLayout { Name = t.Name, Shape = { t.Shape } }) },
        };

        var config = FederationConfigs.For(s, model, FederatedStrategies.Create(s.Strategy));

        Assert.Equal(expected.ToByteArray(), config.ToByteArray());
    }

    private static FederationConfig Written(FederationSettings settings)
    {
        var config = new FederationConfig();
        ProtoOptions.Write(settings, config);
        return config;
    }

    /// <summary>Sets an option to a value no default has: a negative seed, a real that float32 rounds, a named string.</summary>
    private sealed class Unusual(FederationSettings settings) : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option)
        {
            object value = typeof(T) == typeof(int) ? 7
                : typeof(T) == typeof(long) ? -123_456_789_012L
                : typeof(T) == typeof(double) ? 0.3
                : $"{option.Name}-value";
            Assert.NotEqual(option.Get!(new FederationSettings()), (T)value);
            option.Set!(settings, (T)value);
            return true;
        }
    }

    private sealed class SameValue(FederationSettings expected, FederationSettings actual) : IFederationOptionVisitor<bool>
    {
        public bool Visit<T>(FederationOption<T> option) => Equals(option.Get!(expected), option.Get!(actual));
    }
}
