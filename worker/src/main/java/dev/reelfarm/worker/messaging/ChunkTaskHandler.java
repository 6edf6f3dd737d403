package dev.reelfarm.worker.messaging;

import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.bundle.BundleRef;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.ChunkTask;
import dev.reelfarm.schema.messages.Topics;
import dev.reelfarm.schema.messaging.KafkaClients;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.worker.runtime.ChunkRenderer;
import dev.reelfarm.worker.runtime.JobCancelledException;
import dev.reelfarm.worker.runtime.LatentFile;
import dev.reelfarm.worker.runtime.PreviewImages;
import dev.reelfarm.worker.runtime.RenderedChunk;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one chunk task: reports the run's start, throttled step progress, and its result. Artifacts
 * go under a per-run directory of the task's prefix ({@link ArtifactLayout#runPrefix}). Returns
 * only once the result event is acknowledged: the consumer commits the task's offset after that,
 * never before the result is durable.
 */
public final class ChunkTaskHandler implements LongTaskConsumer.Handler<ChunkTask> {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkTaskHandler.class);

  /** Start, result and failure events must be durable before the task goes on (or is committed). */
  private static final long ACK_WAIT_MS = KafkaClients.ACK_WAIT.toMillis();

  private final ChunkRenderer renderer;
  private final ArtifactStore artifacts;
  private final Producer<String, byte[]> producer;
  private final String workerId;
  private final BundleRef loaded;
  private final long stepEventNanos;
  private final long previewNanos;
  private final PreviewImages previews;
  private final Predicate<UUID> cancelled;
  private final DispatchClaims claims;
  private final AtomicReference<ChunkTask> current = new AtomicReference<>();
  private volatile UUID currentRun;

  public ChunkTaskHandler(
      ChunkRenderer renderer,
      PreviewImages previews,
      Predicate<UUID> cancelled,
      ArtifactStore artifacts,
      Producer<String, byte[]> producer,
      String workerId,
      BundleRef loaded,
      int stepEventMs,
      int previewMs) {
    this.cancelled = cancelled;
    this.previews = previews;
    this.previewNanos = TimeUnit.MILLISECONDS.toNanos(previewMs);
    this.renderer = renderer;
    this.artifacts = artifacts;
    this.claims = new DispatchClaims(artifacts);
    this.producer = producer;
    this.workerId = workerId;
    this.loaded = loaded;
    this.stepEventNanos = TimeUnit.MILLISECONDS.toNanos(stepEventMs);
  }

  /** The task being rendered, for heartbeats; null when idle. */
  public ChunkTask current() {
    return current.get();
  }

  @Override
  public void handle(ChunkTask task) throws Exception {
    if (task.schemaVersion() > ChunkTask.SCHEMA_VERSION) {
      throw new LongTaskConsumer.PoisonTaskException(
          "chunk task schema " + task.schemaVersion() + " is newer than this worker", null);
    }
    if (cancelled.test(task.jobId())) {
      LOG.info("chunk {} of job {} skipped: job cancelled", task.chunkIndex(), task.jobId());
      return;
    }
    // The dispatcher aims a task at a partition of a worker with the job's model; a rebalance in
    // between can hand it to one with another model, which must not render it (other frames, other
    // size). Skipped without a report: the chunk's lease lapses and it is dispatched again.
    if (task.model() != null && !loaded.serves(task.model())) {
      LOG.warn(
          "chunk {} of job {} skipped: it is for model {}, this worker has {} loaded",
          task.chunkIndex(),
          task.jobId(),
          task.model(),
          loaded);
      return;
    }
    if (!claims.claim(task, workerId)) {
      LOG.warn(
          "chunk {} of job {} (dispatch {}) skipped: a redelivered task {} already started",
          task.chunkIndex(),
          task.jobId(),
          task.dispatchEpoch(),
          claims.claimant(task));
      return;
    }
    UUID runId = UUID.randomUUID();
    currentRun = runId;
    current.set(task);
    try {
      send(new ChunkEvent.Started(
              ChunkEvent.SCHEMA_VERSION,
              task.jobId(),
              task.chunkId(),
              runId,
              workerId,
              task.steps(),
              now(),
              task.dispatchEpoch()))
          .get(ACK_WAIT_MS, TimeUnit.MILLISECONDS);
      LOG.info(
          "chunk {} of job {} (frames {}..{}): run {} started",
          task.chunkIndex(),
          task.jobId(),
          task.windowStart(),
          task.windowStart() + task.windowFrames() - 1,
          runId);
      String dir = ArtifactLayout.runPrefix(task.artifactPrefix(), runId);
      long[] lastStepEvent = {0, 0};
      RenderedChunk chunk =
          renderer.render(
              task,
              (step, steps, denoised) -> {
                if (cancelled.test(task.jobId()))
                  throw new JobCancelledException(task.jobId(), step);
                long now = System.nanoTime();
                if (step < steps && now - lastStepEvent[0] < stepEventNanos) return;
                lastStepEvent[0] = now;
                String preview = null;
                if (previews != null && (step == steps || now - lastStepEvent[1] >= previewNanos)) {
                  lastStepEvent[1] = now;
                  preview =
                      artifacts.write(ArtifactLayout.preview(dir, step), previews.png(denoised));
                }
                send(
                    new ChunkEvent.Step(
                        ChunkEvent.SCHEMA_VERSION,
                        task.jobId(),
                        task.chunkId(),
                        runId,
                        workerId,
                        step,
                        task.steps(),
                        preview,
                        now(),
                        task.dispatchEpoch()));
              });
      String framesUri = artifacts.write(ArtifactLayout.frames(dir), chunk.frames());
      String latentsUri =
          artifacts.write(ArtifactLayout.latents(dir), LatentFile.encode(chunk.latents()));
      var timings = new ChunkEvent.Timings(chunk.textMs(), chunk.denoiseMs(), chunk.decodeMs());
      send(new ChunkEvent.Completed(
              ChunkEvent.SCHEMA_VERSION,
              task.jobId(),
              task.chunkId(),
              runId,
              workerId,
              task.steps(),
              framesUri,
              latentsUri,
              timings,
              now(),
              task.dispatchEpoch()))
          .get(ACK_WAIT_MS, TimeUnit.MILLISECONDS);
      LOG.info(
          "chunk {} of job {}: done in {} ms (text {} / denoise {} / decode {})",
          task.chunkIndex(),
          task.jobId(),
          chunk.textMs() + chunk.denoiseMs() + chunk.decodeMs(),
          chunk.textMs(),
          chunk.denoiseMs(),
          chunk.decodeMs());
    } catch (JobCancelledException e) {
      LOG.info("chunk {}: {}", task.chunkIndex(), e.getMessage());
    } finally {
      current.set(null);
    }
  }

  @Override
  public void giveUp(ChunkTask task, Exception cause) {
    UUID runId = currentRun == null ? UUID.randomUUID() : currentRun;
    try {
      send(new ChunkEvent.Failed(
              ChunkEvent.SCHEMA_VERSION,
              task.jobId(),
              task.chunkId(),
              runId,
              workerId,
              task.steps(),
              cause.toString(),
              now(),
              task.dispatchEpoch()))
          .get(ACK_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.error("could not report failure of chunk {}: {}", task.chunkId(), e.toString());
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Keyed by job, so one job's events stay in order on one partition. */
  private Future<?> send(ChunkEvent e) {
    return Topics.CHUNK_EVENTS.send(producer, e.jobId().toString(), e);
  }
}
