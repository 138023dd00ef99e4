using System.Globalization;

namespace PoolCompress.Protos;

/// <summary>
/// A federation of N clients (<c>--clients N</c>) has the members client-0000 to client-(N−1): the id a client process
/// takes for its <c>--client-index</c>, and the one its certificate or token names. Shared by both sides, since the
/// coordinator admits, among clients that prove who they are, only its members.
/// </summary>
public static class FederationMembers
{
    private const string Prefix = "client-";

    public static string IdOf(int index) => $"{Prefix}{index:D4}";

    /// <summary>Whether <paramref name="clientId"/> is, exactly as <see cref="IdOf"/> writes it, one of the first <paramref name="clients"/> ids.</summary>
    public static bool Includes(int clients, string clientId) =>
        clientId.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(clientId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index)
        && index < clients
        && IdOf(index) == clientId;

    /// <summary>The members, for a message: "client-0000 to client-0009".</summary>
    public static string Describe(int clients) => clients == 1 ? IdOf(0) : $"{IdOf(0)} to {IdOf(clients - 1)}";
}
