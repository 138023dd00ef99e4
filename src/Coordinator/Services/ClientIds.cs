using System.Text.RegularExpressions;
using Grpc.Core;

namespace PoolCompress.Coordinator.Services;

internal static partial class ClientIds
{
    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Pattern();

    public static string Require(string clientId) =>
        Pattern().IsMatch(clientId)
            ? clientId
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"client_id '{Truncate(clientId)}' is invalid: use 1 to 128 characters from A-Z a-z 0-9 . _ -"));

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
