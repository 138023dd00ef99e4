using Microsoft.Extensions.Options;
using PoolCompress.Compression;
using PoolCompress.Coordinator.Federation;
using PoolCompress.Learning;

namespace PoolCompress.Coordinator.Models;

/// <summary>
/// The coordinator's copy of the federation's network: its tensor layout (to check updates against), its seeded
/// initial weights, and evaluation of global model versions on the held-out test set (when it has one: dataset none
/// leaves evaluation to the clients). Under federated distillation (<see cref="FederationSettings.SharesKnowledge"/>) the
/// federation shares no network: its state is the consensus soft labels on a round's transfer samples, one tensor
/// [transfer samples, classes] that starts uniform, and only the clients can score their own networks.
/// </summary>
public sealed class CoordinatorModel : IGlobalModelEvaluator, IDisposable
{
    private readonly FederatedModel? _network;
    private readonly string? _clientModels;
    private readonly Lazy<MnistSplit> _data;
    private readonly Lock _evaluationLock = new();
    private readonly TorchThread _evaluation = new("evaluation");
    private int _disposed;

    public CoordinatorModel(IOptions<FederationSettings> settings, IOptions<CoordinatorOptions> options)
    {
        var s = settings.Value;
        DataSpec = s.ParseDataSpec();
        _clientModels = s.SharesKnowledge ? s.ClientModels : null;
        _network = s.SharesKnowledge ? null : ModelFactory.Create(s.Model, s.HeadPool, s.Seed, DataSpec);
        Layout = _network is null
            ? new ModelLayout([new TensorInfo(KnowledgeSharing.ConsensusTensor, [s.TransferSamples, DataSpec.Classes.Count])])
            : new ModelLayout(_network.Parameters.Select(p => new TensorInfo(p.Name, p.Shape)));
        _data = new Lazy<MnistSplit>(() =>
        {
            var split = DatasetCatalog.Load(s.Dataset, options.Value.DataDir, options.Value.DataCache);
            return split.Test.Count == 0 ? split : split with { Test = split.Test.WithClasses(DataSpec.Classes) };
        });
    }

    /// <summary>The samples and classes of the federation, which every client's data must fit.</summary>
    public DataSpec DataSpec { get; }

    public ModelLayout Layout { get; }

    /// <summary>The model and its head pool as study grids write them, e.g. <c>cnn+max:2</c>.</summary>
    public string Name => _network is null ? $"soft labels of {_clientModels}"
        : _network.HeadPool is null ? _network.Name : $"{_network.Name}+{_network.HeadPool}";

    /// <summary>Under federated distillation, the classes of each soft label an upload holds; null when uploads are weight updates.</summary>
    public int? SoftLabelClasses => _network is null ? DataSpec.Classes.Count : null;

    public int ParameterCount => _network?.ParameterCount ?? Layout.TotalLength;

    public int HeadParameterCount => _network?.HeadParameterCount ?? 0;

    /// <summary>Loads the test set now, so that a missing or malformed data set stops start-up rather than round 1.</summary>
    public int PrepareTestSet() => _data.Value.Test.Count;

    /// <summary>Where the coordinator's data (its test set) came from, and in which format.</summary>
    public (string Source, string Format) DataSource => (_data.Value.Source, _data.Value.Format);

    public float[] CreateInitialWeights()
    {
        var weights = new float[ParameterCount];
        if (_network is null) Array.Fill(weights, 1f / DataSpec.Classes.Count);
        else lock (_evaluationLock) _network.GetWeights(weights);
        return weights;
    }

    /// <summary>Evaluates on the coordinator's one evaluation thread, whatever thread asks (see <see cref="TorchThread"/>).</summary>
    public Task<EvaluationResult> EvaluateAsync(float[] weights) =>
        _network is null || _data.Value.Test.Count == 0 ? Task.FromResult(EvaluationResult.None(DataSpec.Classes.Count)) : _evaluation.RunAsync(() =>
        {
            lock (_evaluationLock)
            {
                _network!.SetWeights(weights);
                return Evaluator.Evaluate(_network, _data.Value.Test);
            }
        });

    /// <summary>Idempotent: the container disposes this once as itself and once as <see cref="IGlobalModelEvaluator"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _evaluation.Dispose();
        _network?.Dispose();
    }
}
