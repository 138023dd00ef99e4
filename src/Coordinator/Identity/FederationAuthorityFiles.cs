namespace PoolCompress.Coordinator.Identity;

/// <summary>Where a federation authority directory (<c>certs init</c>) keeps each of its files.</summary>
public sealed record FederationAuthorityFiles(string Directory)
{
    public string CaCertificate => Path.Combine(Directory, "ca.crt");
    public string CaKey => Path.Combine(Directory, "ca.key");
    public string CoordinatorCertificate => Path.Combine(Directory, "coordinator.crt");
    public string CoordinatorKey => Path.Combine(Directory, "coordinator.key");
    /// <summary>Per-client tokens, hashed (<see cref="ClientTokenFile"/>).</summary>
    public string ClientTokens => Path.Combine(Directory, "client-tokens.txt");
    /// <summary>Serial numbers of revoked client certificates (<see cref="RevocationList"/>).</summary>
    public string Revoked => Path.Combine(Directory, RevocationList.DefaultFileName);
    /// <summary>Every client certificate issued, one <c>SERIAL CLIENT_ID</c> a line, so revoking a client reaches all of them.</summary>
    public string Issued => Path.Combine(Directory, IssuedClients.DefaultFileName);
    public string ClientCertificate(string clientId) => Path.Combine(Directory, "clients", clientId + ".crt");
    public string ClientKey(string clientId) => Path.Combine(Directory, "clients", clientId + ".key");
}
