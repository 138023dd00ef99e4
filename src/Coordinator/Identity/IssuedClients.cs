namespace PoolCompress.Coordinator.Identity;

/// <summary>
/// The client ids <c>certs issue</c> recorded (<c>issued.txt</c>, one <c>SERIAL CLIENT_ID</c> a line) that still hold
/// a certificate not on the revocation list: who may join a federation with client certificates and no
/// <c>--members</c>. Both files are read again when they change, so a client issued or revoked during a run is a member
/// or not from its next call.
/// </summary>
public sealed class IssuedClients(string issuedPath, string revocationListPath)
{
    public const string DefaultFileName = "issued.txt";

    private readonly ReloadingFile<IReadOnlyList<string[]>> _issued = new(issuedPath, text => RevocationList.Lines(text).Where(fields => fields.Length == 2).ToList(), []);
    private readonly ReloadingFile<IReadOnlySet<string>> _revoked = new(revocationListPath, RevocationList.ParseSerials, new HashSet<string>());
    private readonly Lock _gate = new();
    private (IReadOnlyList<string[]> Issued, IReadOnlySet<string> Revoked, IReadOnlySet<string> Ids)? _last;

    /// <summary>The ids with a certificate that is not revoked, computed again only when a file changed.</summary>
    public IReadOnlySet<string> Current
    {
        get
        {
            var (issued, revoked) = (_issued.Current, _revoked.Current);
            lock (_gate)
            {
                if (_last is not { } last || last.Issued != issued || last.Revoked != revoked)
                {
                    last = (issued, revoked, Unrevoked(issued, revoked));
                    _last = last;
                }
                return last.Ids;
            }
        }
    }

    private static HashSet<string> Unrevoked(IReadOnlyList<string[]> issued, IReadOnlySet<string> revoked) =>
        issued.Where(fields => !revoked.Contains(fields[0].ToUpperInvariant())).Select(fields => fields[1]).ToHashSet(StringComparer.Ordinal);
}
