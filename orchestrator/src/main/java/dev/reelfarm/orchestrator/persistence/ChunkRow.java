package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code chunk}: its place in the job's plan (the window's global frames, strided for
 * anchors), its current run and what its runs produced.
 */
public record ChunkRow(long id, UUID jobId, PlannedChunk plan, Run run, Result result) {

  /**
   * The chunk's state and its latest run: {@code attempt} counts runs, {@code runId} fences results
   * to the current one; {@code seedOverride} is the chunk's own seed once it was re-rendered (null:
   * the job's).
   */
  public record Run(
      ChunkStatus status,
      int attempt,
      UUID runId,
      String workerId,
      int step,
      int steps,
      String error,
      Instant dispatchedAt,
      Instant startedAt,
      Instant finishedAt,
      Long seedOverride) {

    /** A run with the job's seed. */
    public Run(
        ChunkStatus status,
        int attempt,
        UUID runId,
        String workerId,
        int step,
        int steps,
        String error,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt) {
      this(
          status,
          attempt,
          runId,
          workerId,
          step,
          steps,
          error,
          dispatchedAt,
          startedAt,
          finishedAt,
          null);
    }
  }

  /**
   * Artifacts and timings of the chunk's runs: frames and latents once done, the latest preview
   * while running.
   */
  public record Result(
      String framesUri,
      String latentsUri,
      String previewUri,
      Long textMs,
      Long denoiseMs,
      Long decodeMs) {}

  public int index() {
    return plan.index();
  }

  public ChunkStatus status() {
    return run.status();
  }
}
