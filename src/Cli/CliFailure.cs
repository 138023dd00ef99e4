using Grpc.Core;
using Microsoft.Extensions.Options;
using PoolCompress.Client;
using PoolCompress.Compression;
using PoolCompress.Learning;
using PoolCompress.Onnx;
using PoolCompress.Study;

namespace PoolCompress.Cli;

/// <summary>Turns the failures a user can cause or meet into one line on stderr and a distinct exit code.</summary>
internal static class CliFailure
{
    public const int InvalidConfiguration = 2;
    public const int RunFailed = 3;
    /// <summary>A client does not trust its coordinator's certificate (the CA option, --ca, decides which it trusts).</summary>
    public const int CoordinatorNotTrusted = 4;

    public static async Task<int> Guard(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (OptionsValidationException e)
        {
            return Report(InvalidConfiguration, "invalid configuration: " + string.Join("; ", e.Failures));
        }
        catch (StudyConfigException e)
        {
            foreach (string problem in e.Problems) Console.Error.WriteLine($"error: {e.Path}: {problem}");
            return InvalidConfiguration;
        }
        catch (Exception e) when (e is CodecSpecException or ArgumentException or ModelLayoutMismatchException or UnmappedLayerException)
        {
            return Report(InvalidConfiguration, e.Message);
        }
        catch (CoordinatorNotTrustedException e)
        {
            return Report(CoordinatorNotTrusted, e.Message);
        }
        catch (Exception e) when (e is DataFormatException or CoordinatorUnreachableException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return Report(RunFailed, e.Message);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            return Report(RunFailed, $"the coordinator refused: {e.Status.Detail}");
        }
        catch (OperationCanceledException)
        {
            return Report(RunFailed, "cancelled");
        }
    }

    private static int Report(int exitCode, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return exitCode;
    }
}
