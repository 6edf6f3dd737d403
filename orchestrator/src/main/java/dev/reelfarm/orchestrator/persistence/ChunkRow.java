package dev.reelfarm.orchestrator.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of {@code chunk}. {@code frames} are the window's global frames (strided for anchors). */
public record ChunkRow(
    long id,
    UUID jobId,
    int index,
    String status,
    String role,
    List<Integer> frames,
    int attempt,
    UUID runId,
    String workerId,
    int windowStart,
    int windowFrames,
    int ownedStart,
    int ownedEnd,
    List<Integer> dependsOn,
    List<Integer> contextFrames,
    int step,
    int steps,
    String framesUri,
    String latentsUri,
    String previewUri,
    String error,
    Instant dispatchedAt,
    Instant startedAt,
    Instant finishedAt,
    Long textMs,
    Long denoiseMs,
    Long decodeMs) {}
