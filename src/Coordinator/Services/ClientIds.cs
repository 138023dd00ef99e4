using System.Text.RegularExpressions;
using Grpc.Core;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Coordinator.Services;

internal static partial class ClientIds
{
    public const string Rule = "use 1 to 128 characters from A-Z a-z 0-9 . _ -";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string clientId) => Pattern().IsMatch(clientId);

    /// <summary>The id a call names, when it is well-formed and the caller may act as it (<see cref="Caller"/>).</summary>
    public static string Require(string clientId, ServerCallContext context)
    {
        if (!IsValid(clientId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"client_id '{Truncate(clientId)}' is invalid: {Rule}"));
        Caller.Of(context).Permit(clientId);
        return clientId;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
