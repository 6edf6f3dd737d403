package dev.reelfarm.encoder.messaging;

import dev.reelfarm.encoder.media.ClipEncoder;
import dev.reelfarm.encoder.stitching.ClipFrames;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.artifacts.ArtifactStore;
import dev.reelfarm.schema.messages.EncodeTask;
import dev.reelfarm.schema.messages.EncodeTask.ChunkFrames;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messaging.LongTaskConsumer;
import dev.reelfarm.schema.messaging.LongTaskConsumer.PoisonTaskException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link EncodeTask} into {@code <preset>.mp4} and {@code poster.jpg} under the task's
 * {@code artifactPrefix} (see {@link ArtifactLayout}) on the artifact store, reporting ENCODING,
 * then ENCODED or FAILED. Idempotent: a redelivered task re-encodes the same frames and atomically
 * replaces both files, so the orchestrator may see ENCODED twice for one job and must treat the
 * second as a no-op.
 *
 * <p>Partial tasks (sent while the job still renders) let it encode the start of the clip early: it
 * keeps that job's encoding open and the complete task continues it, or starts over when it holds
 * nothing for the job (another encoder, a restart) or what it holds differs. Partial tasks report
 * nothing; any problem with one only drops the open encoding.
 *
 * <p>Errors are classified here: a task that can never succeed (unknown preset, a plan whose owned
 * ranges do not tile the clip, a missing or wrongly sized frames file) is a {@link
 * PoisonTaskException}, reported at once without retries; anything else (disk full, broker
 * unreachable) is left to {@link LongTaskConsumer}'s capped retries.
 */
public final class EncodeTaskHandler implements LongTaskConsumer.Handler<EncodeTask> {
  private static final Logger LOG = LoggerFactory.getLogger(EncodeTaskHandler.class);

  /**
   * Each open encoding holds an x264 encoder at output size; more jobs wait for their complete
   * task.
   */
  static final int MAX_OPEN_ENCODINGS = 4;

  static final Duration IDLE_OPEN_ENCODING = Duration.ofMinutes(10);

  private final ArtifactStore store;
  private final String encoderId;
  private final Consumer<JobEvent> events;

  /** Encodings kept open between a job's partial tasks; touched by the consumer thread only. */
  private final Map<UUID, OpenEncoding> open = new HashMap<>();

  private final RecentEncodes recent = new RecentEncodes();

  /**
   * @param events where job events go; must return only once an event is durable (see {@link
   *     EventPublisher})
   */
  public EncodeTaskHandler(ArtifactStore store, String encoderId, Consumer<JobEvent> events) {
    this.store = store;
    this.encoderId = encoderId;
    this.events = events;
  }

  @Override
  public void handle(EncodeTask task) throws IOException {
    if (task.jobId() == null) throw poison("encode task without a jobId", null);
    if (task.schemaVersion() > EncodeTask.SCHEMA_VERSION) {
      throw poison(
          "encode task schema version "
              + task.schemaVersion()
              + " is newer than this encoder's "
              + EncodeTask.SCHEMA_VERSION,
          null);
    }
    closeIdleEncodings();
    if (!task.complete()) {
      encodeAhead(task);
      return;
    }
    // Not when partial tasks came since (a redelivery): the open encoding decides then.
    var again =
        open.containsKey(task.jobId())
            ? Optional.<JobEvent.Encoded>empty()
            : recent.find(task, store);
    if (again.isPresent()) {
      LOG.info("job {}: a copy of a task encoded already, reported again", task.jobId());
      events.accept(again.get());
      return;
    }
    ClipPlan plan =
        ClipPlan.of(
            task, store); // poison is reported as FAILED alone, without an ENCODING before it
    events.accept(
        new JobEvent.Encoding(JobEvent.SCHEMA_VERSION, task.jobId(), System.currentTimeMillis()));
    OpenEncoding encoding = open.remove(task.jobId());
    if (encoding != null
        && !encoding.continues(plan.preset(), task.totalFrames(), plan.windows(), plan.files())) {
      LOG.info(
          "job {}: the complete task differs from the chunks encoded ahead; encoding from the start",
          task.jobId());
      encoding.close();
      encoding = null;
    }
    int ahead = 0;
    ClipEncoder.Result result;
    String videoUri;
    String posterUri;
    long size;
    try {
      if (encoding == null) {
        encoding = start(task, plan);
      } else {
        ahead = encoding.encoder().framesWritten();
      }
      LOG.info(
          "job {}: encoding {} native frames at {} fps ({} chunks) as {}, {} output frames encoded ahead",
          task.jobId(),
          task.totalFrames(),
          task.nativeFps(),
          task.chunks().size(),
          plan.preset().id(),
          ahead);
      encoding.advance(plan.files());
      result = encoding.encoder().finish();
      ClipFrames frames = encoding.frames();
      posterUri =
          store.write(
              ArtifactLayout.poster(plan.output()),
              out ->
                  ClipEncoder.writePoster(
                      frames,
                      task.totalFrames(),
                      task.nativeWidth(),
                      task.nativeHeight(),
                      plan.preset(),
                      out));
      Path scratch = encoding.scratch();
      size = Files.size(scratch);
      videoUri = store.upload(ArtifactLayout.video(plan.output(), plan.preset()), scratch);
    } finally {
      if (encoding != null) encoding.close();
    }
    for (ChunkFrames c : task.chunks()) store.evictLocalCopy(c.framesUri());
    LOG.info(
        "job {}: encoded {} frames ({} s, {} bytes) in {} ms ({} ms/frame) → {}",
        task.jobId(),
        result.frames(),
        result.durationSeconds(),
        size,
        result.encodeMs(),
        String.format("%.1f", result.encodeMs() / (double) result.frames()),
        videoUri);
    var encoded =
        new JobEvent.Encoded(
            JobEvent.SCHEMA_VERSION,
            task.jobId(),
            videoUri,
            posterUri,
            size,
            result.durationSeconds(),
            result.frames(),
            result.encodeMs(),
            System.currentTimeMillis());
    events.accept(encoded);
    recent.remember(task, encoded);
  }

  /**
   * A partial task: encodes the frames its finished chunks settle, keeping the encoding open for
   * the job. Best effort: on any problem the open encoding is dropped and the complete task encodes
   * the clip from the start (and reports what is wrong, if anything still is).
   */
  private void encodeAhead(EncodeTask task) {
    OpenEncoding encoding = open.get(task.jobId());
    try {
      ClipPlan plan = ClipPlan.of(task, store);
      if (encoding != null
          && !encoding.continues(plan.preset(), task.totalFrames(), plan.windows(), plan.files())) {
        drop(task.jobId());
        encoding = null;
      }
      if (encoding == null) {
        if (open.size() >= MAX_OPEN_ENCODINGS) return; // the complete task will encode it
        encoding = start(task, plan);
        open.put(task.jobId(), encoding);
      }
      int written = encoding.advance(plan.files());
      LOG.debug("job {}: {} output frames encoded ahead", task.jobId(), written);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "job {}: encoding ahead stopped ({}); the complete task will encode the clip",
          task.jobId(),
          e.toString());
      drop(task.jobId());
    }
  }

  private OpenEncoding start(EncodeTask task, ClipPlan plan) throws IOException {
    // +faststart rewrites the file, so FFmpeg needs a seekable local file; it is then published
    // through the store's atomic upload. The name is fixed per encoder so a retry reuses it.
    Path scratch =
        store.scratch(ArtifactLayout.encodingScratch(plan.output(), encoderId, plan.preset()));
    return new OpenEncoding(
        plan.preset(),
        task.totalFrames(),
        plan.windows(),
        plan.clip(),
        plan.fps(),
        plan.frameBytes(),
        task.nativeWidth(),
        task.nativeHeight(),
        scratch);
  }

  /**
   * Open encodings of jobs that stopped sending tasks (cancelled, failed) are closed after a while.
   */
  private void closeIdleEncodings() {
    for (UUID job : List.copyOf(open.keySet())) {
      if (open.get(job).idleNanos() > IDLE_OPEN_ENCODING.toNanos()) {
        LOG.info("job {}: no task for {}; closing its open encoding", job, IDLE_OPEN_ENCODING);
        drop(job);
      }
    }
  }

  private void drop(UUID job) {
    OpenEncoding encoding = open.remove(job);
    if (encoding == null) return;
    try {
      encoding.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("job {}: closing its open encoding: {}", job, e.toString());
    }
  }

  @Override
  public void giveUp(EncodeTask task, Exception cause) {
    drop(task.jobId());
    String message =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    try {
      events.accept(
          new JobEvent.Failed(
              JobEvent.SCHEMA_VERSION, task.jobId(), message, System.currentTimeMillis()));
    } catch (RuntimeException e) {
      // The offset is committed after this; the orchestrator's own timeout must catch the job.
      LOG.error(
          "job {}: could not report the failure ({}): {}", task.jobId(), message, e.toString());
    }
  }

  private static PoisonTaskException poison(String message, Throwable cause) {
    return ClipPlan.poison(message, cause);
  }
}
