namespace PoolCompress.Onnx;

/// <summary>A model holds a layer (or a setting of one) that has no ONNX counterpart here, so it cannot be exported.</summary>
public sealed class UnmappedLayerException(string message) : Exception(message);
