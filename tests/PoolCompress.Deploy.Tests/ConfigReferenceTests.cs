using k8s.Models;

namespace PoolCompress.Deploy.Tests;

/// <summary>Every ConfigMap, Secret and key a pod refers to exists (or is the one documented external Secret).</summary>
public sealed class ConfigReferenceTests
{
    /// <summary>Created by hand before deploying (deploy/k8s/README.md), never committed.</summary>
    private const string TokenSecret = "poolcompress-token";
    private const string TokenKey = "token";

    public static TheoryData<string> Targets => Kustomize.TargetData;

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_ConfigMap_and_key_a_pod_refers_to_exists(string target)
    {
        var set = Kustomize.Render(target);
        foreach (var (owner, spec) in set.PodSpecs())
        {
            foreach (var container in spec.Containers.Concat(spec.InitContainers ?? []))
            {
                string where = $"{target}: {owner}/{container.Name}";
                foreach (var source in container.EnvFrom ?? [])
                {
                    if (source.ConfigMapRef is { } mapRef)
                        Assert.True(set.Find<V1ConfigMap>(mapRef.Name) is not null, $"{where}: envFrom ConfigMap {mapRef.Name} does not exist");
                    if (source.SecretRef is { } secretRef)
                        Assert.True(set.Find<V1Secret>(secretRef.Name) is not null, $"{where}: envFrom Secret {secretRef.Name} does not exist");
                }
                foreach (var variable in container.Env ?? [])
                {
                    if (variable.ValueFrom?.ConfigMapKeyRef is { } keyRef)
                    {
                        var map = set.Find<V1ConfigMap>(keyRef.Name);
                        Assert.True(map?.Data?.ContainsKey(keyRef.Key) == true, $"{where}: env {variable.Name} refers to missing ConfigMap key {keyRef.Name}/{keyRef.Key}");
                    }
                    if (variable.ValueFrom?.SecretKeyRef is { } secretKey)
                    {
                        var secret = set.Find<V1Secret>(secretKey.Name);
                        bool rendered = secret is not null && ((secret.Data?.ContainsKey(secretKey.Key) ?? false) || (secret.StringData?.ContainsKey(secretKey.Key) ?? false));
                        bool documented = secretKey.Name == TokenSecret && secretKey.Key == TokenKey;
                        Assert.True(rendered || documented, $"{where}: env {variable.Name} refers to Secret key {secretKey.Name}/{secretKey.Key}, neither rendered nor the documented {TokenSecret}/{TokenKey}");
                    }
                }
            }
            foreach (var volume in spec.Volumes ?? [])
                if (volume.ConfigMap is { } mapVolume)
                    Assert.True(set.Find<V1ConfigMap>(mapVolume.Name) is not null, $"{target}: {owner} volume {volume.Name} refers to missing ConfigMap {mapVolume.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_token_Secret_is_not_in_the_manifests_and_the_README_says_how_to_create_it(string target)
    {
        var set = Kustomize.Render(target);
        Assert.Null(set.Find<V1Secret>(TokenSecret));
        string readme = File.ReadAllText(Path.Combine(RepoPaths.K8s, "README.md"));
        Assert.Contains($"create secret generic {TokenSecret}", readme);
        Assert.Contains($"--from-literal={TokenKey}=", readme);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_poolcompress_container_runs_the_same_image(string target)
    {
        var images = Kustomize.Render(target).PodSpecs()
            .SelectMany(p => p.Spec.Containers)
            .Where(c => c.Name is "coordinator" or "client")
            .Select(c => c.Image)
            .Distinct()
            .ToList();
        Assert.Single(images);
    }
}
