using System.Text.RegularExpressions;

namespace PoolCompress.Deploy.Tests;

/// <summary>
/// deploy/podman/README.md says which kinds of the rendered base `podman kube play` cannot play; that table must name
/// exactly the kinds the base renders to, so a kind added to the manifests needs a line there.
/// </summary>
public sealed partial class KubePlayNoteTests
{
    [Fact]
    public void The_podman_README_names_every_kind_of_the_rendered_base_and_no_other()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Deploy, "podman", "README.md"));
        int section = readme.IndexOf("## Kubernetes manifests and `podman kube play`", StringComparison.Ordinal);
        Assert.True(section >= 0, "deploy/podman/README.md has no section on podman kube play");
        var documented = TableRow().Matches(readme[section..])
            .SelectMany(row => Kind().Matches(row.Groups[1].Value).Select(kind => kind.Groups[1].Value))
            .ToHashSet();

        var rendered = Kustomize.Render("base").Objects.Select(o => o.Kind).ToHashSet();

        Assert.Equal(rendered.Order(), documented.Order());
    }

    [GeneratedRegex(@"^\| ([^|]+) \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+)`")]
    private static partial Regex Kind();
}
