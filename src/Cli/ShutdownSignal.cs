using System.Runtime.InteropServices;

namespace PoolCompress.Cli;

/// <summary>
/// The process's SIGTERM/SIGINT handling: the first signal cancels <see cref="Token"/> (which every command runs
/// under) and is remembered, so that a command that then stops cleanly exits with the shell's code for it (128 + its
/// number: 143, 130) rather than as a failure. A second signal ends the process at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _received;

    public ShutdownSignal()
    {
        InheritedSignals.StopIgnoring(InheritedSignals.Terminate);
        InheritedSignals.StopIgnoring(InheritedSignals.Interrupt);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Record), PosixSignalRegistration.Create(PosixSignal.SIGINT, Record)];
    }

    public CancellationToken Token => _stop.Token;

    public bool Received => _received is not null;

    public string Name => _received == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";

    public int ExitCode => _received == PosixSignal.SIGINT ? 130 : 143;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }

    private void Record(PosixSignalContext context)
    {
        if (_received is not null) return;
        // Termination is left to the command, which stops between training batches and flushes its output first.
        context.Cancel = true;
        _received = context.Signal;
        _stop.Cancel();
    }
}
