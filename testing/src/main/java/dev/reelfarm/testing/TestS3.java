package dev.reelfarm.testing;

/**
 * The shared test S3 server, as a test sees it: its endpoint and credentials. It starts with no
 * buckets; a test uses a bucket (or a key prefix) of its own.
 */
public record TestS3(String endpoint, String accessKey, String secretKey) {}
