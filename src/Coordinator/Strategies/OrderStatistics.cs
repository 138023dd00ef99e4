namespace PoolCompress.Coordinator.Strategies;

/// <summary>
/// Order statistics of one coordinate's values over a round's clients, by selection (Hoare's quickselect) rather than
/// a full sort: expected linear time, and the values are reordered in place.
/// </summary>
public static class OrderStatistics
{
    /// <summary>
    /// The mean of the values left after dropping the <paramref name="trimmed"/> smallest and the
    /// <paramref name="trimmed"/> largest. With (n - 1) / 2 dropped from each end it is the median.
    /// </summary>
    public static float TrimmedMean(Span<float> values, int trimmed)
    {
        int kept = values.Length - 2 * trimmed;
        if (kept < 1) throw new ArgumentOutOfRangeException(nameof(trimmed), $"trimming {trimmed} from each end of {values.Length} values leaves none");
        Select(values, trimmed);
        var upper = values[trimmed..];
        Select(upper, kept - 1);
        double sum = 0;
        foreach (float v in upper[..kept]) sum += v;
        return (float)(sum / kept);
    }

    /// <summary>
    /// Reorders <paramref name="values"/> so that values[k] is the k-th smallest, with no larger value before it
    /// and no smaller one after it.
    /// </summary>
    public static void Select(Span<float> values, int k)
    {
        int low = 0, high = values.Length - 1;
        while (low < high)
        {
            float pivot = MedianOfThree(values[low], values[low + (high - low) / 2], values[high]);
            int i = low, j = high;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) high = j;
            else if (k >= i) low = i;
            else return;
        }
    }

    private static float MedianOfThree(float a, float b, float c) => Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
