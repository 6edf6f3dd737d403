package dev.reelfarm.schema.api;

import java.time.Instant;

/**
 * One version of a render's video: 1 is the first render, each chunk re-render adds one. {@code
 * chunk} and {@code chunkSeed} (a decimal string) name the chunk re-rendered for it (null for
 * version 1); {@code url} is null while the version is still rendering (or if its re-render
 * failed).
 */
public record VideoVersion(
    int version,
    Integer chunk,
    String chunkSeed,
    String url,
    Long sizeBytes,
    Double durationSeconds,
    Integer frames,
    Instant createdAt,
    Instant finishedAt) {}
