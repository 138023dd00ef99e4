using System.CommandLine;
using PoolCompress.Coordinator.Identity;

namespace PoolCompress.Cli.Commands;

/// <summary>Provisioning a federation across sites: its CA, the coordinator's and each client's certificate, client tokens, revocation.</summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var command = new Command("certs", "Create a federation CA and its certificates and tokens (mTLS across sites)");
        command.Subcommands.Add(Init());
        command.Subcommands.Add(Issue());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Command Init()
    {
        var output = new Option<string>("--out") { Description = "Directory for the federation CA and the coordinator's certificate", Required = true };
        var names = new Option<string>("--coordinator-dns")
        {
            Description = "Names (DNS or IP) clients dial the coordinator by, comma-separated (default localhost,127.0.0.1,::1)",
            DefaultValueFactory = _ => "localhost,127.0.0.1,::1",
        };
        var command = new Command("init", "Create a federation CA and the coordinator's certificate") { output, names };
        command.SetAction((parse, _) => CliFailure.Guard(() =>
        {
            var authority = new FederationAuthority(new FederationAuthorityFiles(parse.GetValue(output)!));
            var dns = parse.GetValue(names)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (dns.Length == 0) throw new ArgumentException("--coordinator-dns needs at least one name");
            authority.Init(dns);
            Console.WriteLine($"federation CA: {authority.Files.CaCertificate} (its key {authority.Files.CaKey} stays with whoever issues certificates)");
            Console.WriteLine($"coordinator: {authority.Files.CoordinatorCertificate}, {authority.Files.CoordinatorKey} for {string.Join(", ", dns)}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Issue()
    {
        var (dir, client) = Target();
        var token = new Option<bool>("--token") { Description = "Also issue a client token (printed once; the coordinator's file keeps only its hash)" };
        var command = new Command("issue", "Issue a client its certificate (and, with --token, its token)") { dir, client, token };
        command.SetAction((parse, _) => CliFailure.Guard(() =>
        {
            var authority = new FederationAuthority(new FederationAuthorityFiles(parse.GetValue(dir)!));
            string id = parse.GetValue(client)!;
            string? issued = authority.Issue(id, parse.GetValue(token));
            Console.WriteLine($"{id}: {authority.Files.ClientCertificate(id)}, {authority.Files.ClientKey(id)}");
            if (issued is not null) Console.WriteLine($"{id} token (shown once, stored hashed in {authority.Files.ClientTokens}): {issued}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Revoke()
    {
        var (dir, client) = Target();
        var command = new Command("revoke", "Revoke a client's certificates and token; the coordinator refuses it at its next call") { dir, client };
        command.SetAction((parse, _) => CliFailure.Guard(() =>
        {
            var authority = new FederationAuthority(new FederationAuthorityFiles(parse.GetValue(dir)!));
            string id = parse.GetValue(client)!;
            int certificates = authority.Revoke(id);
            Console.WriteLine($"{id}: {certificates} certificate(s) added to {authority.Files.Revoked}; its token, if any, removed from {authority.Files.ClientTokens}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static (Option<string> Dir, Option<string> Client) Target() =>
        (new Option<string>("--dir") { Description = "The federation's directory (certs init --out)", Required = true },
         new Option<string>("--client") { Description = "Client id, e.g. client-0000", Required = true });
}
