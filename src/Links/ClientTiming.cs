namespace PoolCompress.Links;

/// <summary>How long one client spends in a round: fetching the model, training, and sending its update.</summary>
public readonly record struct ClientTiming(TimeSpan Download, TimeSpan Train, TimeSpan Upload)
{
    public TimeSpan Total => Download + Train + Upload;
}
