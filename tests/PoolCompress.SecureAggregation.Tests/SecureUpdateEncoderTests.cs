using PoolCompress.SecureAggregation;

namespace PoolCompress.SecureAggregation.Tests;

public sealed class SecureUpdateEncoderTests
{
    private const int Dimension = 5_000;

    [Fact]
    public void Values_clipped_or_off_the_support_are_sent_in_later_rounds()
    {
        var encoder = new SecureUpdateEncoder(Dimension);
        var quantizer = new SecureQuantizer(scale: 0.01f, levels: 1);
        var space = MaskSpace.For(10, 1);
        var random = new Random(1);
        var update = Enumerable.Range(0, Dimension).Select(_ => (random.NextSingle() - 0.5f) * 0.1f).ToArray();
        var sent = new double[Dimension];

        for (ulong round = 1; round <= 200; round++)
        {
            var support = SharedSupport.Choose(Dimension, Dimension / 5, round);
            var words = encoder.Encode(round == 1 ? update : new float[Dimension], support, quantizer, space, random);
            for (var j = 0; j < support.Length; j++)
                sent[support[j]] += space.ToSigned(words[j]) * quantizer.Scale;
        }

        var error = sent.Zip(update, (s, u) => Math.Abs(s - u)).Max();
        Assert.True(error < quantizer.Scale, $"after 200 rounds the largest value not yet sent is {error}");
    }

    [Fact]
    public void The_secure_mean_matches_the_plain_mean_of_the_same_quantized_updates()
    {
        var quantizer = new SecureQuantizer(scale: 0.01f, levels: 1);
        const int members = 8;
        var space = MaskSpace.For(members, 1);
        var support = SharedSupport.Choose(Dimension, 100, roundSeed: 9);
        var random = new Random(2);
        var words = Enumerable.Range(0, members).Select(_ => new SecureUpdateEncoder(Dimension)
            .Encode(Enumerable.Range(0, Dimension).Select(_ => (random.NextSingle() - 0.5f) * 0.03f).ToArray(), support, quantizer, space, random)).ToArray();
        using var round = new SecureRoundHarness(members, degree: 4, space);

        var sum = round.Aggregate(round.Points.ToDictionary(p => p, p => round.MaskedUpload(p, words[p - 1])));
        var mean = SecureAggregate.MeanUpdate(sum, support, quantizer, space, members, Dimension);

        var plain = support.Select((c, j) => words.Sum(w => space.ToSigned(w[j]) * quantizer.Scale) / members).ToArray();
        Assert.Equal(plain, support.Select(c => mean[c]).ToArray());
        Assert.Equal(Dimension - support.Length, mean.Count(v => v == 0) - plain.Count(v => v == 0));
    }
}
