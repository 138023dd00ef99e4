namespace PoolCompress.SecureAggregation;

/// <summary>Where a secure round stands on the coordinator; every message belongs to exactly one stage.</summary>
public enum SecureStage { Advertising, Sharing, Uploading, Unmasking, Unmasked, Failed }
