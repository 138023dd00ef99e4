using System.Collections.Concurrent;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Protos.V1;

namespace PoolCompress.Client;

/// <summary>
/// What the clients of one process share for training. It limits how many train at once: TorchSharp already
/// spreads one training step over all cores, so running more side by side only adds contention and memory. Each
/// slot trains on its own long-lived thread with its own model (<see cref="TrainingSlot"/>). It also limits how
/// many clients are active at once (holding a downloaded model, its update and their encoder), so that memory
/// does not grow with the number of clients selected in a round. With a teacher file, the clients distil the teacher
/// model it holds, loaded once per process.
/// </summary>
public sealed class TrainingGate : IDisposable
{
    /// <summary>Enough clients downloading and encoding around the training slots to keep them busy.</summary>
    public const int DefaultActiveClients = 8;

    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _active;
    private readonly TrainingSlot[] _all;
    private readonly ConcurrentQueue<TrainingSlot> _idle;
    private readonly ConcurrentDictionary<string, Lazy<Task<ModelBlueprint>>> _blueprints = new(StringComparer.Ordinal);
    private readonly TeacherFile? _teacherFile;
    private Lazy<Task<FederatedModel>>? _teacher;
    private readonly string? _transferPath;
    private Lazy<Dataset>? _transfer;

    /// <param name="transferData">Federated distillation: this site's copy of the transfer set, read once per process.</param>
    public TrainingGate(int concurrency = 1, int activeClients = DefaultActiveClients, TeacherFile? teacher = null, string? transferData = null)
    {
        _transferPath = transferData;
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(activeClients, concurrency);
        _teacherFile = teacher;
        _slots = new SemaphoreSlim(concurrency, concurrency);
        _active = new SemaphoreSlim(activeClients, activeClients);
        _all = Enumerable.Range(0, concurrency).Select(i => new TrainingSlot($"training-{i}")).ToArray();
        _idle = new ConcurrentQueue<TrainingSlot>(_all);
    }

    public async Task<T> RunAsync<T>(Func<TrainingSlot, T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        _idle.TryDequeue(out var slot);
        try
        {
            return await slot!.Thread.RunAsync(() => work(slot), cancellationToken);
        }
        finally
        {
            _idle.Enqueue(slot!);
            _slots.Release();
        }
    }

    /// <summary>The layout and initial weights of the model <paramref name="config"/> describes, worked out once per process.</summary>
    public Task<ModelBlueprint> BlueprintOf(FederationConfig config, CancellationToken cancellationToken) =>
        _blueprints.GetOrAdd(config.ToString(), _ => new Lazy<Task<ModelBlueprint>>(() => RunAsync(_ =>
        {
            using var model = TrainingSlot.Build(config);
            var initial = new float[model.ParameterCount];
            model.GetWeights(initial);
            return new ModelBlueprint(LayoutAgreement.LayoutOf(model), initial);
        }, cancellationToken))).Value;

    /// <summary>
    /// The teacher model, built for the samples and classes of the federation <paramref name="config"/> describes and
    /// loaded once per process; null without a teacher file.
    /// </summary>
    /// <exception cref="ArgumentException">The teacher file is missing or bad, or does not fit the federation.</exception>
    public async Task<FederatedModel?> TeacherFor(FederationConfig config, CancellationToken cancellationToken)
    {
        if (_teacherFile is not { } file) return null;
        var load = new Lazy<Task<FederatedModel>>(() => RunAsync(_ => TeacherModel.Load(file.Path, file.ModelSpec, DataAgreement.SpecOf(config)), cancellationToken));
        return await (Interlocked.CompareExchange(ref _teacher, load, null) ?? load).Value;
    }

    /// <summary>
    /// Federated distillation's transfer set, checked against the federation <paramref name="config"/> describes and
    /// read once per process.
    /// </summary>
    /// <exception cref="DataFormatException">No transfer set was given, or it is missing, bad or too small.</exception>
    public Task<Dataset> TransferSetFor(FederationConfig config, CancellationToken cancellationToken)
    {
        if (_transferPath is not { } path) throw new DataFormatException("the federation shares soft labels on a transfer set: give this client --transfer-data PATH");
        var load = new Lazy<Dataset>(() => TransferSet.Load(path, DataAgreement.SpecOf(config), config.TransferSamples));
        return Task.Run(() => (Interlocked.CompareExchange(ref _transfer, load, null) ?? load).Value, cancellationToken);
    }

    /// <summary>Waits until one more client may be active; disposing the result lets the next one in.</summary>
    public async Task<IDisposable> EnterActiveAsync(CancellationToken cancellationToken)
    {
        await _active.WaitAsync(cancellationToken);
        return new Release(_active);
    }

    public void Dispose()
    {
        if (_teacher is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } teacher) teacher.Value.Result.Dispose();
        foreach (var slot in _all) slot.Dispose();
        _slots.Dispose();
        _active.Dispose();
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
        }
    }
}

/// <summary>A site's copy of the teacher: an export's PATH, and its architecture (MODEL[+HEAD_POOL]) when no PATH.json says it.</summary>
public sealed record TeacherFile(string Path, string? ModelSpec);
