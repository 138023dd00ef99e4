namespace PoolCompress.Links;

/// <summary>
/// Which client gets which link, from a rule:
/// <list type="bullet">
/// <item><c>PROFILE</c> or <c>all:PROFILE</c>: every client gets that link (a name or an explicit link, see
/// <see cref="LinkProfile.Parse"/>).</item>
/// <item><c>mix:3g=0.2,lte=0.5,fiber=0.3</c>: named profiles shared out by fraction (see <see cref="MixRule"/>); the same
/// rule, client count and seed always give the same assignment.</item>
/// <item><c>file:PATH</c>: a CSV file naming each client's link (see <see cref="LinkFile"/>); a relative path is taken
/// from the base directory, or the current directory without one.</item>
/// </list>
/// </summary>
public sealed class LinkAssignment
{
    private readonly LinkProfile[] _links;

    private LinkAssignment(string rule, LinkProfile[] links)
    {
        Rule = rule;
        _links = links;
    }

    /// <summary>The rule as given.</summary>
    public string Rule { get; }

    public int Clients => _links.Length;

    /// <summary>Assigns links to clients known by index only (0 to <paramref name="clients"/> - 1).</summary>
    /// <exception cref="LinkSpecException">The rule is malformed, or its file is missing, unreadable or incomplete.</exception>
    public static LinkAssignment Parse(string rule, int clients, long seed, string? baseDirectory = null) =>
        Parse(rule, clients, clientIds: null, seed, baseDirectory);

    /// <summary>Assigns links to clients that a link file may also name by id; client i has id <c>clientIds[i]</c>.</summary>
    /// <exception cref="LinkSpecException">The rule is malformed, or its file is missing, unreadable or incomplete.</exception>
    public static LinkAssignment Parse(string rule, IReadOnlyList<string> clientIds, long seed, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        return Parse(rule, clientIds.Count, clientIds, seed, baseDirectory);
    }

    public LinkProfile For(int clientIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clientIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(clientIndex, _links.Length);
        return _links[clientIndex];
    }

    public override string ToString() => Rule;

    private static LinkAssignment Parse(string rule, int clients, IReadOnlyList<string>? clientIds, long seed, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clients);
        int colon = rule.IndexOf(':');
        string kind = colon < 0 ? "" : rule[..colon].Trim().ToLowerInvariant();
        string body = rule[(colon + 1)..];
        LinkProfile[] links = kind switch
        {
            "" or "all" => Enumerable.Repeat(LinkProfile.Parse(body), clients).ToArray(),
            "mix" => MixRule.Assign(rule, body, clients, seed),
            "file" => LinkFile.Read(ResolvePath(rule, body, baseDirectory), clients, clientIds),
            _ => throw new LinkSpecException(
                $"link rule '{rule}': unknown rule '{kind}:'; write PROFILE, all:PROFILE, mix:PROFILE=SHARE,... or file:PATH"),
        };
        return new LinkAssignment(rule, links);
    }

    private static string ResolvePath(string rule, string path, string? baseDirectory) => string.IsNullOrWhiteSpace(path)
        ? throw new LinkSpecException($"link rule '{rule}': file: needs a path, e.g. file:links.csv")
        : Path.GetFullPath(Path.Combine(baseDirectory ?? "", path.Trim()));
}
