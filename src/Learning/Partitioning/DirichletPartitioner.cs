using System.Globalization;

namespace PoolCompress.Learning;

/// <summary>
/// Label skew (Hsu et al. 2019): for each class, client shares are drawn from Dirichlet(alpha) and that class's
/// samples are dealt out in those shares. Small alpha concentrates each class on few clients.
/// </summary>
internal sealed class DirichletPartitioner(double alpha) : IPartitioner
{
    public string Spec => $"dirichlet:{alpha.ToString("R", CultureInfo.InvariantCulture)}";

    public int[][] Partition(ReadOnlySpan<byte> labels, int clients, int seed)
    {
        Partitioners.Validate(labels, clients);
        var random = new Random(seed);
        var members = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        var shares = new double[clients];
        byte[] keys = labels.ToArray();
        foreach (var group in Enumerable.Range(0, keys.Length).GroupBy(i => keys[i]).OrderBy(g => g.Key))
        {
            int[] ofClass = [.. group];
            random.Shuffle(ofClass);
            DirichletSampler.Sample(random, alpha, shares);
            double cumulative = 0;
            int start = 0;
            for (int client = 0; client < clients; client++)
            {
                cumulative += shares[client];
                int end = client == clients - 1 ? ofClass.Length : Math.Clamp((int)Math.Round(cumulative * ofClass.Length), start, ofClass.Length);
                members[client].AddRange(ofClass[start..end]);
                start = end;
            }
        }
        FillEmptyClients(members);
        return [.. members.Select(m => m.ToArray())];
    }

    /// <summary>A very skewed draw can leave a client without data; each such client takes one sample from the largest.</summary>
    private static void FillEmptyClients(List<int>[] members)
    {
        foreach (var empty in members.Where(m => m.Count == 0))
        {
            var largest = members.MaxBy(m => m.Count)!;
            empty.Add(largest[^1]);
            largest.RemoveAt(largest.Count - 1);
        }
    }
}
