namespace PoolCompress.Learning;

/// <summary>
/// Generated 28x28 ten-class images for fast tests and smoke runs: each class is a seven-segment-display digit,
/// drawn with a random shift and stroke brightness on a dark background with speckle noise. Easy to learn, and
/// plainly not MNIST.
/// </summary>
public static class SyntheticDigits
{
    private const int Side = 28;
    private const int MaxShift = 2;
    private const double SpeckleProbability = 0.05;
    private const float MaxSpeckle = 0.5f;

    /// <summary>Segments as pixel rectangles [X0, X1) x [Y0, Y1) of an unshifted digit centred on the canvas.</summary>
    private static readonly (int X0, int X1, int Y0, int Y1)[] Segments =
    [
        (9, 19, 4, 6),   // top
        (17, 19, 4, 14), // upper right
        (17, 19, 13, 24), // lower right
        (9, 19, 22, 24), // bottom
        (9, 11, 13, 24), // lower left
        (9, 11, 4, 14),  // upper left
        (9, 19, 13, 15), // middle
    ];

    /// <summary>Which of <see cref="Segments"/> (bit i = segment i) light up for each digit.</summary>
    private static readonly int[] SegmentsOfDigit =
        [0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110, 0b1101101, 0b1111101, 0b0000111, 0b1111111, 0b1101111];

    /// <summary>Balanced classes; train and test come from one seeded stream, so the seed fixes both.</summary>
    public static MnistSplit Create(int trainCount, int testCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        var random = new Random(seed);
        return new MnistSplit(Generate(trainCount, random), Generate(testCount, random),
            $"synthetic seven-segment digits ({trainCount:N0} train / {testCount:N0} test, seed {seed})", "synthetic");
    }

    private static Dataset Generate(int count, Random random)
    {
        var images = new float[count * Side * Side];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % Dataset.DigitClasses.Count);
            Draw(labels[i], images.AsSpan(i * Side * Side, Side * Side), random);
        }
        return new Dataset(images, labels, Side, Side);
    }

    private static void Draw(int digit, Span<float> image, Random random)
    {
        for (int p = 0; p < image.Length; p++)
            image[p] = random.NextDouble() < SpeckleProbability ? MaxSpeckle * random.NextSingle() : 0f;
        int dx = random.Next(-MaxShift, MaxShift + 1), dy = random.Next(-MaxShift, MaxShift + 1);
        float brightness = 0.7f + 0.3f * random.NextSingle();
        for (int s = 0; s < Segments.Length; s++)
        {
            if ((SegmentsOfDigit[digit] & (1 << s)) == 0) continue;
            var (x0, x1, y0, y1) = Segments[s];
            for (int y = y0 + dy; y < y1 + dy; y++)
            for (int x = x0 + dx; x < x1 + dx; x++)
                image[y * Side + x] = Math.Min(1f, image[y * Side + x] + brightness);
        }
    }
}
