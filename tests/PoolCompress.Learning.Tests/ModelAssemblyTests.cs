using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PoolCompress.Learning.Tests;

/// <summary>
/// Plug-in model assemblies, compiled here from a few lines of C# each: a good one joins the catalog; each bad one
/// is refused with one message naming the file (and the type at fault), and registers nothing.
/// </summary>
public sealed class ModelAssemblyTests : IDisposable
{
    private const string Usings = "using System; using System.Collections.Generic; using PoolCompress.Learning; using static TorchSharp.torch; using static TorchSharp.torch.nn;";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Model(string name, string build, string constructor = "") => $$"""
        {{Usings}}
        namespace Team;
        public sealed class Net : IModelDefinition
        {
            public Net() { {{constructor}} }
            public string Name => "{{name}}";
            public string Description => "a team's model";
            public IReadOnlyList<int> ExampleInput => [4];
            public Module<Tensor, Tensor> Build(IReadOnlyList<int> inputShape, int classCount, string? headPool) => {{build}};
        }
        """;

    private const string GoodBuild = "new BodyAndHead(\"net\", Linear(inputShape[0], 8), Linear(8, classCount))";

    [Fact]
    public void A_plugin_model_joins_the_catalog_and_builds_for_the_federations_data()
    {
        string dll = Compile("good", Model("team-mlp", GoodBuild));

        var names = ModelAssemblies.Load(dll);
        using var model = ModelFactory.Create("team-mlp", null, seed: 3, new DataSpec([6], ["a", "b", "c"]));

        Assert.Equal(["team-mlp"], names);
        Assert.Same(names, ModelAssemblies.Load(dll));
        Assert.Contains(ModelCatalog.All, m => m.Name == "team-mlp");
        Assert.Equal(["body.weight", "body.bias", "head.weight", "head.bias"], model.Parameters.Select(p => p.Name));
        Assert.Equal(8 * 3 + 3, model.HeadParameterCount);
    }

    [Fact]
    public void A_build_that_fails_for_the_federations_data_is_a_configuration_error_naming_the_type_and_file()
    {
        string dll = Compile("picky", Model("team-picky", "inputShape[0] == 4 ? " + GoodBuild + " : throw new System.NotSupportedException(\"only 4 features\")"));
        ModelAssemblies.Load(dll);

        var refused = Assert.Throws<ArgumentException>(() => ModelFactory.Create("team-picky", null, 1, new DataSpec([5], ["a", "b"])));

        Assert.Contains($"model 'team-picky' (Team.Net in {dll}) cannot be built for 5 samples, 2 classes", refused.Message);
        Assert.Contains("only 4 features", refused.Message);
    }

    public static TheoryData<string, string, string> BadPlugins => new()
    {
        { "throwing-constructor", Model("team-a", GoodBuild, "throw new System.InvalidOperationException(\"no licence\");"), "Team.Net in {0}: its constructor threw InvalidOperationException: no licence" },
        { "throwing-build", Model("team-b", "throw new System.NotImplementedException(\"todo\")"), "Team.Net in {0}: Build(4, 2 classes) for its own example input threw NotImplementedException: todo" },
        { "no-head", Model("team-c", "Sequential((\"body\", Linear(4, 8)), (\"classifier\", Linear(8, classCount)))"), "Team.Net in {0}: its network has no parameters under a submodule named 'head'" },
        { "batch-norm", Model("team-d", "new BodyAndHead(\"net\", Sequential((\"fc\", Linear(4, 8)), (\"norm\", BatchNorm1d(8))), Linear(8, classCount))"), "Team.Net in {0}: its network holds buffer 'body.norm.running_mean'" },
        { "zoo-name", Model("cnn", GoodBuild), "Team.Net in {0}: its name 'cnn' is taken by the zoo's model of that name" },
        { "no-models", $"{Usings} namespace Team; public sealed class Helper {{ }} internal sealed class Hidden {{ }}", "model assembly '{0}' holds no model" },
    };

    [Theory]
    [MemberData(nameof(BadPlugins))]
    public void A_bad_plugin_is_refused_naming_the_file_and_registers_nothing(string name, string source, string expected)
    {
        string dll = Compile(name, source);
        int before = ModelCatalog.All.Count;

        var refused = Assert.Throws<ModelAssemblyException>(() => ModelAssemblies.Load(dll));

        Assert.Contains(string.Format(expected, dll), refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.Equal(before, ModelCatalog.All.Count);
    }

    [Fact]
    public void A_missing_file_or_one_that_is_not_a_dotnet_assembly_is_refused_naming_it()
    {
        string text = _dir.File("model.dll");
        File.WriteAllText(text, "this is a plain text file, not an assembly\n");
        string missing = _dir.File("absent.dll");

        var notAssembly = Assert.Throws<ModelAssemblyException>(() => ModelAssemblies.Load(text));
        var absent = Assert.Throws<ModelAssemblyException>(() => ModelAssemblies.Load(missing));

        Assert.Equal($"model assembly '{text}' is not a .NET assembly", notAssembly.Message);
        Assert.Equal($"model assembly '{missing}' does not exist", absent.Message);
    }

    /// <summary>Compiles <paramref name="source"/> against the assemblies this test runs with into its own folder.</summary>
    private string Compile(string name, string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        string folder = Directory.CreateDirectory(_dir.File(name)).FullName, dll = Path.Combine(folder, name + ".dll");
        var result = compilation.Emit(dll);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return dll;
    }
}
