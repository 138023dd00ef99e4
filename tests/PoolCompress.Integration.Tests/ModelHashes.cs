using System.Security.Cryptography;

namespace PoolCompress.Integration.Tests;

/// <summary>SHA-256 of each global model version a federation wrote to its model-store directory.</summary>
internal static class ModelHashes
{
    /// <summary>Versions 2..rounds+1: the models after each round.</summary>
    public static string[] AfterEachRound(string modelStore, int rounds) =>
        Enumerable.Range(2, rounds)
            .Select(v => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(modelStore, "default", $"model-{v:D6}.f32")))))
            .ToArray();
}
