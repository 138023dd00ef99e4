using ScottPlot;

namespace PoolCompress.Reporting;

/// <summary>How one run is drawn and named, the same in every chart so the eye can follow it from one to the next.</summary>
internal sealed record RunStyle(string Label, Color Color, LinePattern Pattern, bool IsBest)
{
    public float LineWidth => IsBest ? 4.5f : 2f;
    public float MarkerSize => IsBest ? 9f : 5f;
    public string LegendText => IsBest ? $"{Label}  (best)" : Label;
}
