namespace PoolCompress.SecureAggregation;

/// <summary>
/// A client's update in the form every client of a secure round shares: the values at the round's support,
/// quantized to small integers with the coordinator's scale. What the words do not carry (the coordinates off the
/// support and the rounding) stays in the client's residual and is added to its next update (error feedback), so
/// nothing a round leaves out is lost.
/// </summary>
public sealed class SecureUpdateEncoder(int dimension)
{
    private readonly float[] _residual = new float[dimension];

    public uint[] Encode(ReadOnlySpan<float> update, IReadOnlyList<int> support, SecureQuantizer quantizer, MaskSpace space, Random random)
    {
        if (update.Length != _residual.Length)
            throw new ArgumentException($"an update has {_residual.Length} values, not {update.Length}", nameof(update));
        for (var i = 0; i < update.Length; i++)
            _residual[i] += update[i];
        var values = support.Select(i => _residual[i]).ToArray();
        var words = new uint[support.Count];
        quantizer.Quantize(values, words, space, random);
        for (var j = 0; j < support.Count; j++)
            _residual[support[j]] -= space.ToSigned(words[j]) * quantizer.Scale;
        return words;
    }
}
