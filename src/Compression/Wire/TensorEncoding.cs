namespace PoolCompress.Compression.Wire;

/// <summary>How one tensor's body is encoded; stored as one byte in the tensor table.</summary>
internal enum TensorEncoding : byte
{
    /// <summary>Exact little-endian float32: small tensors and biases when the codec is lossless (the dense model, for one).</summary>
    DenseFloat32 = 0,

    /// <summary>Encoded by the payload's codec chain.</summary>
    CodecChain = 1,

    /// <summary>Little-endian IEEE half precision: small tensors and biases when the codec is lossy. Error feedback keeps
    /// the rounding, so this halves their cost (a sixth of a 300x update) without losing anything for good.</summary>
    DenseFloat16 = 2,

    /// <summary>Sent whole and coded by the spec's <c>;whole=CODER</c> clause, e.g. 8-bit: a quarter of float32 where
    /// error feedback keeps the rounding too.</summary>
    WholeCoder = 3,
}
