package dev.reelfarm.orchestrator.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.BatchRepository;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.submission.BatchRequest;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.api.BatchAccepted;
import dev.reelfarm.schema.api.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts and cancels shot-list batches. A batch is submitted through the render submission path
 * ({@link RenderSubmissions#once}): its Idempotency-Key, its team's quotas (for all its shots at
 * once: a batch that does not fit is refused whole) and one transaction that stores the batch, one
 * job per shot with its plan and first messages, and its audit line.
 */
@ApplicationScoped
public class BatchRequests {
  private final Database db;
  private final RenderSubmissions submissions;
  private final RenderLifecycle lifecycle;
  private final BatchRepository batches;
  private final BatchProgress progress;
  private final AuditLog audit;
  private final ObjectMapper mapper;

  @Inject
  public BatchRequests(
      Database db,
      RenderSubmissions submissions,
      RenderLifecycle lifecycle,
      BatchRepository batches,
      BatchProgress progress,
      AuditLog audit,
      ObjectMapper mapper) {
    this.db = db;
    this.submissions = submissions;
    this.lifecycle = lifecycle;
    this.batches = batches;
    this.progress = progress;
    this.audit = audit;
    this.mapper = mapper;
  }

  /**
   * Stores {@code team}'s batch of {@code request} (parsed from {@code body}) and returns its 202;
   * with a key, at most once per key and team for the keep time.
   */
  public RenderSubmissions.Submitted submit(
      UUID team, AuditLog.Actor actor, String idempotencyKey, String body, BatchRequest request) {
    return submissions.once(
        team,
        idempotencyKey,
        body,
        c -> {
          submissions.admit(c, team, request.shots().size());
          UUID id = UUID.randomUUID();
          batches.insert(
              c,
              id,
              team,
              request.deliver(),
              request.transition(),
              request.transitionSeconds(),
              request.shots().size(),
              request.webhook());
          List<UUID> jobs = new ArrayList<>();
          for (RenderRequest shot : request.shots()) {
            JobRow job = lifecycle.submit(c, team, shot);
            batches.attach(c, job.id(), id, jobs.size());
            jobs.add(job.id());
          }
          audit.record(
              c,
              actor,
              "batch.submit",
              "batch",
              id.toString(),
              Map.of(
                  "team",
                  team.toString(),
                  "shots",
                  Integer.toString(jobs.size()),
                  "deliver",
                  request.deliver().id()));
          return new RenderSubmissions.Created(jobs.get(0), id, accepted(id, jobs, request));
        });
  }

  /**
   * Cancels the batch: no sequence starts any more (one being encoded is cancelled), and every open
   * shot is cancelled in its own transaction, as a render's cancel does. Shots already finished
   * keep their videos. The batch's row is never held while a shot's job is locked.
   */
  public void cancel(UUID batchId, AuditLog.Actor actor) {
    List<JobRow> shots =
        db.inTransaction(
            c -> {
              batches.requestCancel(c, batchId);
              audit.record(c, actor, "batch.cancel", "batch", batchId.toString(), Map.of());
              return batches.shots(c, batchId);
            });
    for (JobRow shot : shots) if (!shot.isFinal()) lifecycle.cancel(shot.id());
    db.inTransaction(
        c -> {
          progress.evaluate(c, batchId);
          return null;
        });
  }

  private String accepted(UUID id, List<UUID> jobs, BatchRequest request) {
    String self = "/api/v1/batches/" + id;
    var links = new BatchAccepted.Links(self, request.sequence() ? self + "/video" : null);
    try {
      return mapper.writeValueAsString(new BatchAccepted(id, BatchStatus.QUEUED, jobs, links));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a BatchAccepted always serialises", e);
    }
  }
}
