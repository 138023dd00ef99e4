namespace PoolCompress.Compression.Wire;

/// <summary>How one tensor's body is encoded; stored as one byte in the tensor table.</summary>
internal enum TensorEncoding : byte
{
    /// <summary>Exact little-endian float32, used for small tensors and biases whatever the codec.</summary>
    DenseFloat32 = 0,

    /// <summary>Encoded by the payload's codec chain.</summary>
    CodecChain = 1,
}
