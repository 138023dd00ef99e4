using PoolCompress.Onnx.Layers;

namespace PoolCompress.Onnx;

/// <summary>The module types an export maps to ONNX, by exact type. A new mapping is one file and one line here.</summary>
public static class OnnxLayers
{
    private static readonly Dictionary<Type, IOnnxLayer> ByType = new IOnnxLayer[]
    {
        new SequentialLayer(),
        new BodyAndHeadLayer(),
        new ResidualBlockLayer(),
        new Conv2dLayer(),
        new LinearLayer(),
        new ReluLayer(),
        new MaxPool2dLayer(),
        new FlattenLayer(),
        new GroupNormLayer(),
        new AdaptiveAvgPool2dLayer(),
        new AdaptiveMaxPool2dLayer(),
        new L2Pool2dLayer(),
        new MixedPool2dLayer(),
        new SpatialPyramidPool2dLayer(),
        new StandardizedFeaturesLayer(),
    }.ToDictionary(layer => layer.ModuleType);

    public static IReadOnlyCollection<Type> Mapped => ByType.Keys;

    public static IOnnxLayer? Find(Type moduleType) => ByType.GetValueOrDefault(moduleType);
}
