using System.Runtime.InteropServices;

namespace PoolCompress.Cli;

/// <summary>
/// A process inherits the signals its parent ignores: a non-interactive shell starts a background job
/// (<c>poolcompress client ... &amp;</c> in a script) with SIGINT and SIGQUIT ignored, and .NET keeps an inherited
/// ignore, accepting a <see cref="PosixSignalRegistration"/> for such a signal whose handler is then never called.
/// The CLI promises to stop cleanly on SIGINT and SIGTERM however it was started, so it takes back the ones it
/// handles, as Go's <c>signal.Notify</c> does.
/// </summary>
internal static partial class InheritedSignals
{
    public const int Interrupt = 2;
    public const int Terminate = 15;

    // Room for struct sigaction on every Unix .NET runs on (152 bytes on Linux x64); its first field is the handler.
    private const int SigactionBytes = 512;
    private const nint Ignored = 1; // SIG_IGN

    /// <summary>Gives <paramref name="signal"/> its default action again if it was inherited ignored; call before registering for it.</summary>
    public static unsafe void StopIgnoring(int signal)
    {
        if (OperatingSystem.IsWindows()) return;
        byte* action = stackalloc byte[SigactionBytes];
        var fields = new Span<byte>(action, SigactionBytes);
        fields.Clear();
        if (sigaction(signal, null, action) != 0 || *(nint*)action != Ignored) return;
        // All zero: SIG_DFL, no flags, an empty mask.
        fields.Clear();
        sigaction(signal, action, null);
    }

    [LibraryImport("libc")]
    private static unsafe partial int sigaction(int signal, byte* action, byte* previous);
}
