using CsCheck;
using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class MaskedWordsTests
{
    [Fact]
    public void Packed_words_round_trip_in_exactly_count_times_bits_over_eight_bytes()
    {
        Gen.Int[2, 32].SelectMany(bits => Gen.UInt.Array[0, 300].Select(words => (bits, words))).Sample(((int bits, uint[] words) p) =>
        {
            var space = new MaskSpace(p.bits);
            var words = p.words.Select(w => w & space.Mask).ToArray();

            var packed = MaskedWords.Pack(words, space);

            Assert.Equal((words.Length * p.bits + 7) / 8, packed.Length);
            Assert.Equal(words, MaskedWords.Unpack(packed, words.Length, space));
        });
    }

    [Fact]
    public void Words_are_packed_least_significant_bit_first()
    {
        Assert.Equal([0b1010_0101, 0b0000_0001], MaskedWords.Pack([0b00101, 0b01101], new MaskSpace(5)));
    }

    [Fact]
    public void A_wrong_length_or_set_padding_is_refused()
    {
        var space = new MaskSpace(5);

        Assert.Throws<SecureAggregationException>(() => MaskedWords.Unpack(new byte[3], 2, space));
        Assert.Throws<SecureAggregationException>(() => MaskedWords.Unpack([0, 0b1000_0000], 2, space));
        Assert.Throws<SecureAggregationException>(() => MaskedWords.Unpack(new byte[2], -1, space));
    }
}
