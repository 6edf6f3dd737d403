package dev.reelfarm.orchestrator.progress;

import dev.reelfarm.orchestrator.api.RenderRequest;
import dev.reelfarm.orchestrator.config.ReelfarmConfig;
import dev.reelfarm.orchestrator.messaging.OutboxRelay;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobEventLog;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.planning.ChunkPlan;
import dev.reelfarm.orchestrator.planning.ChunkPlanner;
import dev.reelfarm.orchestrator.config.ModelCatalog;
import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.orchestrator.scheduling.ChunkDispatcher;
import dev.reelfarm.orchestrator.scheduling.ChunkTasks;
import dev.reelfarm.schema.bundle.BundleManifest;
import dev.reelfarm.schema.messages.ChunkEvent;
import dev.reelfarm.schema.messages.JobControl;
import dev.reelfarm.schema.messages.JobEvent;
import dev.reelfarm.schema.messages.MessageCodec;
import dev.reelfarm.schema.messages.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job and chunk state machine (ARCHITECTURE.md §6). Every transition is a compare-and-set in
 * PostgreSQL, made in the same transaction as the outbox messages it causes.
 *
 * <p>Job: QUEUED → RUNNING → ENCODING → SUCCEEDED | FAILED | CANCELLED. Chunk: PENDING → READY →
 * DISPATCHED → RUNNING → DONE | FAILED (| CANCELLED with its job).
 */
@ApplicationScoped
public class RenderLifecycle {
  private static final Logger LOG = Logger.getLogger(RenderLifecycle.class);
  private static final List<String> OPEN = List.of("QUEUED", "RUNNING", "ENCODING");

  private final Database db;
  private final RenderRepository repo;
  private final JobEventLog events;
  private final ChunkDispatcher dispatcher;
  private final OutboxRelay relay;
  private final BundleManifest model;
  private final ChunkPlanner planner;
  private final int maxAttempts;

  public RenderLifecycle(
      Database db, RenderRepository repo, JobEventLog events, ChunkDispatcher dispatcher, OutboxRelay relay, ModelCatalog models, ReelfarmConfig config) {
    this.db = db;
    this.repo = repo;
    this.events = events;
    this.dispatcher = dispatcher;
    this.relay = relay;
    this.model = models.manifest();
    this.planner = new ChunkPlanner(model.framesPerChunk(), config.contextFrames(), config.overlapFrames());
    this.maxAttempts = config.chunkMaxAttempts();
  }

  /** Stores the job and its plan in one transaction; chunks without dependencies become READY. */
  public JobRow submit(RenderRequest r) {
    RenderMode mode = r.mode() != null ? r.mode() : planner.defaultMode(r.durationSeconds(), model.nativeFps());
    ChunkPlan plan = planner.plan(r.durationSeconds(), model.nativeFps(), mode);
    JobRow job =
        new JobRow(
            UUID.randomUUID(), "QUEUED", r.prompt(), r.negativePrompt(), r.durationSeconds(), r.preset().id(), r.seed(),
            r.steps(), r.guidanceScale(), r.priority(), plan.mode().id(), model.name(), model.nativeFps(), model.nativeWidth(),
            model.nativeHeight(), plan.totalFrames(), null, null, null, null, null, null, null, null, null, null, null);
    db.inTransaction(
        c -> {
          repo.insertJob(c, job);
          int[] criticalPaths = plan.criticalPaths();
          for (PlannedChunk chunk : plan.chunks()) {
            repo.insertChunk(c, job.id(), chunk, chunk.dependsOn().isEmpty() ? "READY" : "PENDING", r.steps(), criticalPaths[chunk.index()]);
          }
          events.append(c, job.id(), "queued", Map.of("chunks", plan.chunks().size(), "totalFrames", plan.totalFrames(), "mode", plan.mode().id()));
          return null;
        });
    LOG.infof("job %s queued: %d frames in %d %s chunks", job.id(), plan.totalFrames(), plan.chunks().size(), plan.mode().id());
    relay.wake();
    return job;
  }

  /** Cancels an open job: its unfinished chunks are CANCELLED and their results will be dropped. */
  public Optional<JobRow> cancel(UUID jobId) {
    Optional<JobRow> result = db.inTransaction(
        c -> {
          Optional<JobRow> job = repo.findJob(c, jobId, true);
          if (job.isPresent() && repo.transitionJob(c, jobId, OPEN, "CANCELLED", "cancelled by request")) {
            repo.cancelOpenChunks(c, jobId);
            events.append(c, jobId, "cancelled", Map.of("reason", "cancelled by request"));
            stopWorkers(c, jobId);
          }
          return repo.findJob(c, jobId, false);
        });
    relay.wake();
    return result;
  }

  /** Broadcasts a CANCEL for the job: workers abandon its chunks within one denoising step. */
  private void stopWorkers(Connection c, UUID jobId) throws SQLException {
    var control = new JobControl(JobControl.SCHEMA_VERSION, jobId, JobControl.Action.CANCEL, System.currentTimeMillis());
    repo.enqueue(c, Topics.JOB_CONTROL, jobId.toString(), MessageCodec.toJson(control));
  }

  public void onChunkEvent(ChunkEvent e) {
    boolean changed =
        db.inTransaction(
            c ->
                switch (e.type()) {
                  case STARTED -> started(c, e);
                  case STEP -> step(c, e);
                  case COMPLETED -> completed(c, e);
                  case FAILED -> failed(c, e);
                });
    if (changed && e.type() != ChunkEvent.Type.STEP) relay.wake();
  }

  private boolean started(Connection c, ChunkEvent e) throws SQLException {
    if (!repo.startRun(c, e.chunkId(), e.runId(), e.workerId(), e.steps())) {
      LOG.debugf("chunk %d: start of run %s by %s ignored (chunk finished, cancelled or run known)", e.chunkId(), e.runId(), e.workerId());
      return false;
    }
    repo.transitionJob(c, e.jobId(), List.of("QUEUED"), "RUNNING", null);
    ChunkRow chunk = repo.findChunk(c, e.chunkId()).orElseThrow();
    events.append(c, e.jobId(), "chunk-started",
        Map.of("chunk", chunk.index(), "worker", e.workerId(), "attempt", chunk.attempt(), "steps", e.steps(), "runId", e.runId().toString()));
    return true;
  }

  private boolean step(Connection c, ChunkEvent e) throws SQLException {
    var recorded = repo.recordStep(c, e.chunkId(), e.runId(), e.step(), e.previewUri());
    if (recorded.isEmpty()) return false;
    int index = recorded.getAsInt();
    events.append(c, e.jobId(), "step", Map.of("chunk", index, "step", e.step(), "steps", e.steps(), "worker", e.workerId()));
    if (e.previewUri() != null) {
      events.append(c, e.jobId(), "preview", Map.of("chunk", index, "step", e.step(),
          "url", "/api/v1/renders/" + e.jobId() + "/chunks/" + index + "/preview.png?step=" + e.step()));
    }
    return true;
  }

  private boolean completed(Connection c, ChunkEvent e) throws SQLException {
    var t = e.timings() == null ? new ChunkEvent.Timings(0, 0, 0) : e.timings();
    // Fencing: only the chunk's current run may complete it. A late result from a superseded run
    // (its worker was presumed dead and the chunk re-ran elsewhere) is dropped on purpose.
    if (!repo.completeRun(c, e.chunkId(), e.runId(), e.framesUri(), e.latentsUri(), t.textMs(), t.denoiseMs(), t.decodeMs())) {
      LOG.infof("chunk %d: result of run %s from %s dropped (superseded or no longer running)", e.chunkId(), e.runId(), e.workerId());
      return false;
    }
    repo.releaseDependants(c, e.jobId());
    List<ChunkRow> chunks = repo.chunks(c, e.jobId());
    ChunkRow done = chunks.stream().filter(ch -> ch.id() == e.chunkId()).findFirst().orElseThrow();
    events.append(c, e.jobId(), "chunk-completed", Map.of("chunk", done.index(), "worker", e.workerId(), "attempt", done.attempt(), "denoiseMs", t.denoiseMs()));
    if (chunks.stream().allMatch(ch -> ch.status().equals("DONE"))
        && repo.transitionJob(c, e.jobId(), List.of("RUNNING"), "ENCODING", null)) {
      JobRow job = repo.findJob(c, e.jobId(), false).orElseThrow();
      repo.enqueue(c, Topics.ENCODE_TASKS, job.id().toString(), MessageCodec.toJson(ChunkTasks.encodeTask(job, chunks)));
      events.append(c, job.id(), "encoding", Map.of("chunks", chunks.size()));
      LOG.infof("job %s: all %d chunks done, encoding", job.id(), chunks.size());
    } else if (ChunkTasks.extendsFinishedStart(chunks, done)) {
      // The finished start of the clip grew: the encoder can encode it while the rest renders.
      JobRow job = repo.findJob(c, e.jobId(), false).orElseThrow();
      repo.enqueue(c, Topics.ENCODE_TASKS, job.id().toString(), MessageCodec.toJson(ChunkTasks.encodeTask(job, chunks)));
    }
    return true;
  }

  private boolean failed(Connection c, ChunkEvent e) throws SQLException {
    ChunkRow chunk = repo.findChunk(c, e.chunkId()).orElse(null);
    if (chunk == null) return false;
    boolean retry = chunk.attempt() < maxAttempts;
    if (!repo.failRun(c, e.chunkId(), e.runId(), e.error(), retry)) return false;
    Map<String, Object> fields = new HashMap<>(Map.of("chunk", chunk.index(), "worker", e.workerId(), "attempt", chunk.attempt(), "retry", retry));
    fields.put("error", e.error());
    events.append(c, e.jobId(), "chunk-failed", fields);
    if (retry) {
      LOG.warnf("chunk %d run %d/%d failed on %s, re-dispatching: %s", chunk.id(), chunk.attempt(), maxAttempts, e.workerId(), e.error());
      dispatcher.resend(c, repo.findJob(c, e.jobId(), false).orElseThrow(), chunk);
    } else {
      String reason = "chunk " + chunk.index() + " failed after " + chunk.attempt() + " attempts: " + e.error();
      if (repo.transitionJob(c, e.jobId(), OPEN, "FAILED", reason)) {
        repo.cancelOpenChunks(c, e.jobId());
        events.append(c, e.jobId(), "failed", Map.of("reason", reason));
        stopWorkers(c, e.jobId()); // the job's other running chunks would be wasted work
      }
      LOG.errorf("job %s failed: %s", e.jobId(), reason);
    }
    return true;
  }

  public void onJobEvent(JobEvent e) {
    db.inTransaction(
        c -> {
          switch (e.type()) {
            case ENCODING -> LOG.debugf("job %s: encoder started", e.jobId());
            case ENCODED -> {
              if (repo.recordVideo(c, e.jobId(), e.videoUri(), e.posterUri(), e.sizeBytes(), e.durationSeconds(), e.frames(), e.encodeMs())) {
                String base = "/api/v1/renders/" + e.jobId();
                events.append(c, e.jobId(), "succeeded", Map.of("video", base + "/video", "poster", base + "/poster.jpg",
                    "sizeBytes", e.sizeBytes(), "durationSeconds", e.durationSeconds(), "frames", e.frames()));
                LOG.infof("job %s succeeded: %s (%d bytes)", e.jobId(), e.videoUri(), e.sizeBytes());
              }
            }
            case FAILED -> {
              String reason = "encoding failed: " + e.error();
              if (repo.transitionJob(c, e.jobId(), List.of("ENCODING"), "FAILED", reason)) {
                events.append(c, e.jobId(), "failed", Map.of("reason", reason));
              }
            }
          }
          return null;
        });
  }
}
