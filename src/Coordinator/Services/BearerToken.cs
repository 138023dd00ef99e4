using System.Security.Cryptography;
using System.Text;

namespace PoolCompress.Coordinator.Services;

/// <summary>The federation token check shared by the gRPC API and the watch listener (metrics, dashboard).</summary>
public static class BearerToken
{
    /// <summary>Whether an <c>authorization</c> value carries the token; any value passes when no token is configured.</summary>
    public static bool Admits(string? token, string? authorization) =>
        string.IsNullOrEmpty(token)
        || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization ?? ""), Encoding.UTF8.GetBytes("Bearer " + token));
}
