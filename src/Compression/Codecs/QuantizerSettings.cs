using System.Text;

namespace PoolCompress.Compression.Codecs;

/// <summary>Parameters of <c>q:BITS[:block=N][:asym][:stochastic]</c>. A block size of 0 means one scale per tensor.</summary>
internal sealed record QuantizerSettings(int Bits, int BlockSize, bool Asymmetric, bool Stochastic)
{
    /// <summary>The canonical spec text, options in a fixed order.</summary>
    public override string ToString()
    {
        var text = new StringBuilder($"q:{Bits}");
        if (BlockSize > 0) text.Append($":block={BlockSize}");
        if (Asymmetric) text.Append(":asym");
        if (Stochastic) text.Append(":stochastic");
        return text.ToString();
    }
}
