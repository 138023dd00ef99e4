using System.Runtime.InteropServices;

namespace PoolCompress.Cli;

/// <summary>
/// Records which termination signal asked the process to stop. System.CommandLine cancels the command's token on
/// SIGTERM and SIGINT; a command that then stops cleanly uses this to exit with the shell's code for the signal
/// (128 + its number: 143, 130) rather than as a failure.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _received;

    public ShutdownSignal() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGTERM, Record), PosixSignalRegistration.Create(PosixSignal.SIGINT, Record)];

    public bool Received => _received is not null;

    public string Name => _received == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";

    public int ExitCode => _received == PosixSignal.SIGINT ? 130 : 143;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private void Record(PosixSignalContext context)
    {
        // Termination is left to the command, which stops between training batches and flushes its output first.
        context.Cancel = true;
        _received ??= context.Signal;
    }
}
