using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace PoolCompress.Deploy.Tests;

/// <summary>
/// A rendered kustomization as typed Kubernetes objects. Every document is deserialized strictly (an unknown field
/// anywhere fails) into the KubernetesClient model that its apiVersion and kind name, which is a check against the
/// Kubernetes API schema those models are generated from.
/// </summary>
internal sealed partial class ManifestSet
{
    private ManifestSet(string target, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
    {
        Target = target;
        Objects = objects;
    }

    public string Target { get; }
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    public static ManifestSet Parse(string target, string yaml)
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (string document in SplitDocuments(yaml))
            objects.Add(ParseDocument(document, $"{target} document {objects.Count + 1}"));
        return new ManifestSet(target, objects);
    }

    /// <summary>One YAML document as its typed model; throws with the kind, the name and the reason otherwise.</summary>
    public static IKubernetesObject<V1ObjectMeta> ParseDocument(string document, string where)
    {
        var (apiVersion, kind, name) = Identify(document, where);
        string what = $"{where} ({apiVersion} {kind} {name})";
        if (!ModelTypes.ContainsKey($"{apiVersion}/{kind}"))
            throw new InvalidOperationException($"{what}: no Kubernetes model for apiVersion {apiVersion}, kind {kind}");
        List<object> loaded;
        try
        {
            loaded = KubernetesYaml.LoadAllFromString(document, typeMap: null, strict: true);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{what} does not match the Kubernetes schema: {Describe(e)}", e);
        }
        return loaded.Single() as IKubernetesObject<V1ObjectMeta>
            ?? throw new InvalidOperationException($"{what} is not a Kubernetes object with metadata");
    }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Target}: no {typeof(T).Name} named {name}; have {Names()}");

    public T? Find<T>(string name) where T : class, IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name);

    public V1StatefulSet Coordinator => All<V1StatefulSet>().Single();
    public V1Job ClientJob => All<V1Job>().Single();
    public V1Container CoordinatorContainer => Coordinator.Spec.Template.Spec.Containers.Single(c => c.Name == "coordinator");
    public V1Container ClientContainer => ClientJob.Spec.Template.Spec.Containers.Single(c => c.Name == "client");

    /// <summary>Every env variable a container sees from its envFrom ConfigMaps (later sources win) and env.</summary>
    public Dictionary<string, string?> Environment(V1Container container)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is null) continue;
            var map = Single<V1ConfigMap>(source.ConfigMapRef.Name);
            foreach (var (key, value) in map.Data ?? new Dictionary<string, string>()) values[(source.Prefix ?? "") + key] = value;
        }
        foreach (var variable in container.Env ?? []) values[variable.Name] = variable.Value;
        return values;
    }

    public string Value(V1Container container, string variable) =>
        Environment(container).TryGetValue(variable, out var value) && value is not null
            ? value
            : throw new Xunit.Sdk.XunitException($"{Target}: container {container.Name} has no value for {variable}");

    public IEnumerable<(string Owner, V1PodSpec Spec)> PodSpecs()
    {
        foreach (var s in All<V1StatefulSet>()) yield return ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template.Spec);
        foreach (var d in All<V1Deployment>()) yield return ($"Deployment/{d.Metadata.Name}", d.Spec.Template.Spec);
        foreach (var j in All<V1Job>()) yield return ($"Job/{j.Metadata.Name}", j.Spec.Template.Spec);
    }

    private string Names() => string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"));

    private static readonly Dictionary<string, Type> ModelTypes = typeof(KubernetesEntityAttribute).Assembly.GetTypes()
        .Select(t => (Type: t, Entity: t.GetCustomAttributes(typeof(KubernetesEntityAttribute), inherit: true).OfType<KubernetesEntityAttribute>().FirstOrDefault()))
        .Where(x => x.Entity is not null)
        .GroupBy(x => $"{(string.IsNullOrEmpty(x.Entity!.Group) ? "" : x.Entity.Group + "/")}{x.Entity.ApiVersion}/{x.Entity.Kind}")
        .ToDictionary(g => g.Key, g => g.First().Type, StringComparer.Ordinal);

    private static (string ApiVersion, string Kind, string Name) Identify(string document, string where)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidOperationException($"{where} is not one YAML mapping");
        string Field(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text }
                ? text
                : throw new InvalidOperationException($"{where} has no {key}");
        var metadata = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var m) ? m as YamlMappingNode : null;
        return (Field(root, "apiVersion"), Field(root, "kind"), metadata is null ? "(no metadata)" : Field(metadata, "name"));
    }

    /// <summary>kubectl's output separates documents with "---" lines; block scalars are indented, so this is exact.</summary>
    private static IEnumerable<string> SplitDocuments(string yaml) =>
        DocumentSeparator().Split(yaml).Where(d => !string.IsNullOrWhiteSpace(d));

    private static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        return string.Join(" -> ", messages.Distinct());
    }

    [GeneratedRegex(@"^---[ \t]*\r?$\n?", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
