using System.Numerics;
using System.Security.Cryptography;

namespace PoolCompress.SecureAggregation;

/// <summary>
/// Shamir's t-of-n secret sharing over the prime field of p = 2^521 - 1, large enough for a 32-byte secret in one
/// element. Any t shares give the secret back; t - 1 shares are consistent with every secret.
/// </summary>
public static class ShamirSharing
{
    public const int ValueBytes = 66;
    public const int MaxSecretBytes = 64;
    private const int FieldBits = 521;
    internal static readonly BigInteger Prime = (BigInteger.One << FieldBits) - 1;

    public static IReadOnlyList<Share> Split(ReadOnlySpan<byte> secret, int threshold, IReadOnlyList<int> xs)
    {
        if (secret.Length is 0 or > MaxSecretBytes)
            throw new ArgumentException($"a secret has 1 to {MaxSecretBytes} bytes", nameof(secret));
        if (threshold < 1 || threshold > xs.Count)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, $"needs 1 to {xs.Count} shares");
        CheckPoints(xs);
        var coefficients = new BigInteger[threshold];
        coefficients[0] = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
        for (var i = 1; i < threshold; i++)
            coefficients[i] = RandomElement();
        return xs.Select(x => new Share(x, ToBytes(Evaluate(coefficients, x)))).ToArray();
    }

    /// <summary>Interpolates at 0 from exactly the first <paramref name="threshold"/> of at least that many shares.</summary>
    public static byte[] Combine(IReadOnlyList<Share> shares, int threshold, int secretBytes)
    {
        if (shares.Count < threshold)
            throw new SecureAggregationException($"{shares.Count} shares, but {threshold} are needed to reconstruct a secret");
        var used = shares.Take(threshold).ToArray();
        CheckPoints(used.Select(s => s.X).ToArray());
        var secret = BigInteger.Zero;
        for (var i = 0; i < used.Length; i++)
            secret = Mod(secret + ToElement(used[i].Value) * LagrangeAtZero(used, i));
        return FromElement(secret, secretBytes);
    }

    /// <summary>
    /// Rebuilds a secret that can be checked (against a commitment or a public key): the first
    /// <paramref name="threshold"/> shares, then other sets of that many, at most <paramref name="maxSets"/> in all, so
    /// that a few forged shares among more than the threshold cannot fail the reconstruction.
    /// </summary>
    public static byte[] CombineVerified(IReadOnlyList<Share> shares, int threshold, int secretBytes, Func<byte[], bool> isRight, int maxSets = 256)
    {
        if (shares.Count < threshold)
            throw new SecureAggregationException($"{shares.Count} shares, but {threshold} are needed to reconstruct a secret");
        foreach (var set in SetsOf(shares.Count, threshold).Take(maxSets))
        {
            var secret = TryCombine(set.Select(i => shares[i]).ToArray(), threshold, secretBytes);
            if (secret is not null && isRight(secret))
                return secret;
        }
        throw new SecureAggregationException("no set of the shares rebuilds the secret that was committed to: some are forged");
    }

    private static byte[]? TryCombine(Share[] shares, int threshold, int secretBytes)
    {
        try
        {
            return Combine(shares, threshold, secretBytes);
        }
        catch (SecureAggregationException)
        {
            return null;
        }
    }

    /// <summary>The sets of <paramref name="size"/> indices of [0, count), in lexicographic order.</summary>
    private static IEnumerable<int[]> SetsOf(int count, int size)
    {
        var set = Enumerable.Range(0, size).ToArray();
        while (true)
        {
            yield return (int[])set.Clone();
            var i = size - 1;
            while (i >= 0 && set[i] == count - size + i)
                i--;
            if (i < 0)
                yield break;
            set[i]++;
            for (var j = i + 1; j < size; j++)
                set[j] = set[j - 1] + 1;
        }
    }

    private static BigInteger LagrangeAtZero(Share[] shares, int i)
    {
        BigInteger numerator = BigInteger.One, denominator = BigInteger.One;
        for (var j = 0; j < shares.Length; j++)
        {
            if (j == i)
                continue;
            numerator = Mod(numerator * -shares[j].X);
            denominator = Mod(denominator * (shares[i].X - shares[j].X));
        }
        return Mod(numerator * Inverse(denominator));
    }

    /// <summary>The inverse in the field by the extended Euclidean algorithm, far cheaper than Fermat's a^(p-2) at 521 bits.</summary>
    private static BigInteger Inverse(BigInteger value)
    {
        BigInteger r0 = Prime, r1 = value, t0 = BigInteger.Zero, t1 = BigInteger.One;
        while (!r1.IsZero)
        {
            var quotient = BigInteger.DivRem(r0, r1, out var remainder);
            (r0, r1) = (r1, remainder);
            (t0, t1) = (t1, t0 - quotient * t1);
        }
        return Mod(t0);
    }

    private static BigInteger Evaluate(BigInteger[] coefficients, int x)
    {
        var value = BigInteger.Zero;
        for (var i = coefficients.Length - 1; i >= 0; i--)
            value = Mod(value * x + coefficients[i]);
        return value;
    }

    private static void CheckPoints(IReadOnlyList<int> xs)
    {
        if (xs.Any(x => x < 1))
            throw new SecureAggregationException("a share's point must be at least 1");
        if (xs.Distinct().Count() != xs.Count)
            throw new SecureAggregationException("two shares at the same point");
    }

    private static BigInteger RandomElement()
    {
        Span<byte> bytes = stackalloc byte[ValueBytes];
        BigInteger value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            bytes[0] &= 0x01;
            value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
        while (value >= Prime);
        return value;
    }

    private static BigInteger ToElement(byte[] value)
    {
        if (value.Length != ValueBytes)
            throw new SecureAggregationException($"a share's value has {ValueBytes} bytes, not {value.Length}");
        var element = new BigInteger(value, isUnsigned: true, isBigEndian: true);
        return element < Prime ? element : throw new SecureAggregationException("a share's value is outside the field");
    }

    private static byte[] ToBytes(BigInteger element)
    {
        var bytes = new byte[ValueBytes];
        element.TryWriteBytes(bytes.AsSpan(ValueBytes - element.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static byte[] FromElement(BigInteger element, int secretBytes)
    {
        if (element.GetByteCount(isUnsigned: true) > secretBytes)
            throw new SecureAggregationException("the shares do not interpolate to a secret of the expected size: some are forged or mismatched");
        var bytes = new byte[secretBytes];
        element.TryWriteBytes(bytes.AsSpan(secretBytes - element.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % Prime;
        return r.Sign < 0 ? r + Prime : r;
    }
}
