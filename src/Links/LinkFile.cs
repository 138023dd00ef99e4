using System.Globalization;

namespace PoolCompress.Links;

/// <summary>
/// The <c>file:PATH</c> rule: a CSV file of <c>CLIENT,PROFILE</c> lines, where CLIENT is a client index (0 to N-1) or,
/// when client ids are known, a client id, and PROFILE is anything <see cref="LinkProfile.Parse"/> takes (everything
/// after the first comma, so explicit links with commas need no quoting). '#' starts a comment, blank lines are
/// skipped, and a first line <c>client_index,profile</c> or <c>client_id,profile</c> is taken as a header. Every
/// client needs exactly one line.
/// </summary>
internal static class LinkFile
{
    private const int MissingClientsNamed = 10;

    public static LinkProfile[] Read(string path, int clients, IReadOnlyList<string>? clientIds)
    {
        string[] lines = ReadLines(path);
        var links = new LinkProfile?[clients];
        var assignedOnLine = new int[clients];
        Dictionary<string, int>? indexById = clientIds?.Select((id, index) => (id, index)).ToDictionary(pair => pair.id, pair => pair.index);
        bool headerAllowed = true;

        for (int number = 1; number <= lines.Length; number++)
        {
            string line = WithoutComment(lines[number - 1]);
            if (line.Length == 0) continue;
            int comma = line.IndexOf(',');
            if (comma < 0)
                throw Error(path, number, $"expected CLIENT,PROFILE but found '{line}'");
            string client = line[..comma].Trim();
            string spec = line[(comma + 1)..].Trim();
            if (headerAllowed && IsHeader(client, spec))
            {
                headerAllowed = false;
                continue;
            }
            headerAllowed = false;

            int index = IndexOf(client, clients, indexById) ?? throw Error(path, number, UnknownClient(client, clients, clientIds));
            if (links[index] is not null)
                throw Error(path, number, $"client {client} already has a link, given on line {assignedOnLine[index]}");
            try
            {
                links[index] = LinkProfile.Parse(spec);
            }
            catch (LinkSpecException e)
            {
                throw new LinkSpecException($"link file '{path}' line {number}: {e.Message}", e);
            }
            assignedOnLine[index] = number;
        }

        int[] missing = [.. Enumerable.Range(0, clients).Where(index => links[index] is null)];
        if (missing.Length > 0)
            throw new LinkSpecException($"link file '{path}': no link for {Describe(missing, clientIds)}; every client needs a line CLIENT,PROFILE");
        return links!;
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LinkSpecException($"link file '{path}' not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LinkSpecException($"link file '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static string WithoutComment(string line)
    {
        int hash = line.IndexOf('#');
        return (hash < 0 ? line : line[..hash]).Trim();
    }

    private static bool IsHeader(string client, string spec) =>
        client.ToLowerInvariant() is "client_index" or "client_id" && spec.Equals("profile", StringComparison.OrdinalIgnoreCase);

    /// <summary>A client index if the field is a number, else the index of the client with that id.</summary>
    private static int? IndexOf(string client, int clients, Dictionary<string, int>? indexById)
    {
        if (int.TryParse(client, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return index < clients ? index : null;
        return indexById is not null && indexById.TryGetValue(client, out index) ? index : null;
    }

    private static string UnknownClient(string client, int clients, IReadOnlyList<string>? clientIds) =>
        $"unknown client '{client}'; expected a client index from 0 to {clients - 1}"
        + (clientIds is null ? "" : $" or a client id such as '{clientIds[0]}'");

    private static string Describe(int[] missing, IReadOnlyList<string>? clientIds)
    {
        string named = string.Join(", ", missing.Take(MissingClientsNamed).Select(index => clientIds?[index] ?? index.ToString(CultureInfo.InvariantCulture)));
        string more = missing.Length > MissingClientsNamed ? $" and {missing.Length - MissingClientsNamed} more" : "";
        return $"{(missing.Length == 1 ? "client" : "clients")} {named}{more}";
    }

    private static LinkSpecException Error(string path, int line, string problem) => new($"link file '{path}' line {line}: {problem}");
}
