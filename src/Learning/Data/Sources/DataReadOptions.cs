namespace PoolCompress.Learning;

/// <summary>How a site's files are read: the label column of tables, and the size images are resized to.</summary>
public sealed record DataReadOptions
{
    public string LabelColumn { get; init; } = "label";

    /// <summary>Height and width every image is resized to; null requires all images of a folder to share one size.</summary>
    public (int Height, int Width)? ImageSize { get; init; }
}
