using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PoolCompress.Contracts;
using PoolCompress.Reporting;
using PoolCompress.Simulation;

namespace PoolCompress.Cli;

/// <summary>
/// What the process did, as JSON lines for scripts and tests to wait on rather than its wording: with
/// <c>POOLCOMPRESS_EVENTS=PATH</c> set, the process appends <c>{"event":"listening","address":"http://127.0.0.1:PORT"}</c>
/// once it serves (so a coordinator started with <c>--port 0</c> tells which port the system gave it),
/// <c>{"event":"round","round":N}</c> as a coordinator completes round N, and every log
/// entry it writes as <c>{"event":"log","category":...,"level":...,"properties":{"Round":3,...}}</c>: the named
/// values of the message, never its text.
/// </summary>
internal sealed class EventsFile : ILoggerProvider
{
    public const string Variable = "POOLCOMPRESS_EVENTS";
    private const string MessageTemplate = "{OriginalFormat}";
    private static readonly Lock Appending = new();

    private EventsFile(string path) => Path = path;

    private string Path { get; }

    /// <summary>The file events go to, or null when nobody asked for them.</summary>
    private static EventsFile? Configured => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? new EventsFile(path) : null;

    public static void Listening(Uri address) => Configured?.Append(new Dictionary<string, object?> { ["event"] = "listening", ["address"] = address.ToString() });

    /// <summary>The coordinator's round reports, also written as round events when asked for.</summary>
    public static IFederationObserver Observing(IFederationObserver observer) => Configured is { } events ? new RoundEvents(events, observer) : observer;

    /// <summary>Adds the events file as a log destination to a host's services, when asked for.</summary>
    public static void AddTo(IServiceCollection services) => services.AddLogging(logging => AddTo(logging));

    public static ILoggingBuilder AddTo(ILoggingBuilder logging) => Configured is { } events ? logging.AddProvider(events) : logging;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private void Append(Dictionary<string, object?> fields)
    {
        string line = JsonSerializer.Serialize(fields) + "\n";
        lock (Appending) File.AppendAllText(Path, line);
    }

    private sealed class RoundEvents(EventsFile events, IFederationObserver observer) : IFederationObserver
    {
        public void Started(ModelSummary model, FederationSettings settings, int trainSamples, string dataSource) =>
            observer.Started(model, settings, trainSamples, dataSource);

        public void RoundCompleted(RoundMetrics round)
        {
            observer.RoundCompleted(round);
            events.Append(new Dictionary<string, object?> { ["event"] = "round", ["round"] = round.Round });
        }
    }

    private sealed class Logger(EventsFile events, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // A message may name a value twice ("round {Round} ... runs round {Round} again"): the same value both times.
            var properties = new Dictionary<string, object?>();
            foreach (var (name, value) in state as IEnumerable<KeyValuePair<string, object?>> ?? [])
                if (name != MessageTemplate) properties[name] = value is string or bool || value?.GetType().IsPrimitive == true ? value : value?.ToString();
            events.Append(new Dictionary<string, object?>
            {
                ["event"] = "log",
                ["category"] = category,
                ["level"] = logLevel.ToString(),
                ["properties"] = properties,
            });
        }
    }
}
