using System.CommandLine;
using PoolCompress.Client;
using PoolCompress.Contracts;

namespace PoolCompress.Cli;

/// <summary>
/// The federation's command-line options, one per <see cref="FederationOptions"/> declaration. Only options given on
/// the command line become configuration overrides, so appsettings.json and POOLCOMPRESS_ environment variables still
/// apply to the rest.
/// </summary>
internal sealed class FederationCliOptions
{
    private readonly Dictionary<FederationOption, Option> _options =
        FederationOptions.All.ToDictionary(o => o, o => o.Accept(new CliOptionFactory()));

    public IEnumerable<Option> All => FederationOptions.All.Select(o => _options[o]);

    /// <summary>Options shared by clients, which must split the data exactly as the other clients do.</summary>
    public IEnumerable<Option> DataOptions => FederationOptions.Data.Select(o => _options[o]);

    /// <summary>Options about a client's own copies of the files every site holds.</summary>
    public IEnumerable<Option> CopiesOptions => FederationOptions.ClientCopies.Select(o => _options[o]);

    /// <summary>The client's teacher file, when one was given.</summary>
    public TeacherFile? TeacherFile(ParseResult parse) =>
        parse.GetValue(Of(FederationOptions.Teacher)) is { } path ? new TeacherFile(path, parse.GetValue(Of(FederationOptions.TeacherModel))) : null;

    public Option<T> Of<T>(FederationOption<T> option) => (Option<T>)_options[option];

    /// <summary>The value given on the command line, or the option's default.</summary>
    public T ValueOrDefault<T>(ParseResult parse, FederationOption<T> option) =>
        parse.GetResult(Of(option)) is null ? option.Get!(new FederationSettings()) : parse.GetValue(Of(option))!;

    public Dictionary<string, string?> ToConfiguration(ParseResult parse) =>
        FederationOptions.All
            .Select(o => o.Accept(new GivenValue(this, parse)))
            .OfType<KeyValuePair<string, string?>>()
            .ToDictionary();

    private sealed class CliOptionFactory : IFederationOptionVisitor<Option>
    {
        public Option Visit<T>(FederationOption<T> option) => new Option<T>($"--{option.Name}") { Description = FederationHelp.Describe(option) };
    }

    /// <summary>The configuration entry of an option given on the command line; null for one not given.</summary>
    private sealed class GivenValue(FederationCliOptions options, ParseResult parse) : IFederationOptionVisitor<KeyValuePair<string, string?>?>
    {
        public KeyValuePair<string, string?>? Visit<T>(FederationOption<T> option) =>
            parse.GetResult(options.Of(option)) is null ? null : option.ToConfiguration(parse.GetValue(options.Of(option))!);
    }
}
