package dev.reelfarm.orchestrator.lifecycle;

import dev.reelfarm.orchestrator.persistence.AuditLog;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.submission.ModelLookup;
import dev.reelfarm.orchestrator.submission.RefusedRequestException;
import dev.reelfarm.orchestrator.submission.RenderRequest;
import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.presets.Preset;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Reordering and retrying work: an open job's priority changes (the dispatcher reads it at every
 * placement, so the next one honours it); a finished job is retried as a new job of its stored
 * request, through the submission path (quotas, idempotency, audit) like any submission.
 */
@ApplicationScoped
public class QueueControl {
  private final Database db;
  private final RenderRepository repo;
  private final QueueControlRepository control;
  private final RenderSubmissions submissions;
  private final AuditLog audit;
  private final ModelLookup models;

  public QueueControl(
      Database db,
      RenderRepository repo,
      QueueControlRepository control,
      RenderSubmissions submissions,
      AuditLog audit,
      ModelLookup models) {
    this.db = db;
    this.repo = repo;
    this.control = control;
    this.submissions = submissions;
    this.audit = audit;
    this.models = models;
  }

  /**
   * Sets the priority of open job {@code jobId}; the job as it is afterwards.
   *
   * @throws RefusedRequestException 409 when the job has finished, 404 when there is none
   */
  public JobRow reprioritise(UUID jobId, int priority, AuditLog.Actor actor) {
    return db.inTransaction(
        c -> {
          JobRow job = locked(c, jobId);
          if (job.isFinal() || !control.setPriority(c, jobId, priority))
            throw RefusedRequestException.conflict(
                "status",
                "render "
                    + jobId
                    + " is "
                    + job.status()
                    + "; only a queued or running render's priority can change");
          audit.record(
              c,
              actor,
              "render.priority",
              "render",
              jobId.toString(),
              Map.of(
                  "team",
                  job.teamId().toString(),
                  "priorityBefore",
                  job.spec().priority(),
                  "priority",
                  priority));
          return repo.findJob(c, jobId, false).orElseThrow();
        });
  }

  /**
   * The request {@code original} was made from: its prompts, duration, preset, seed, steps,
   * guidance, priority, mode (as planned), interpolation and webhook. The farm's current build of
   * its model (by name) renders it.
   *
   * @throws RefusedRequestException 409 when its preset or its model is no longer on the farm
   */
  public RenderRequest storedRequest(JobRow original) {
    JobRow.Spec spec = original.spec();
    Preset preset =
        Preset.find(spec.preset())
            .orElseThrow(
                () ->
                    RefusedRequestException.conflict(
                        "preset", "render " + original.id() + "'s preset no longer exists"));
    BundleFacts model =
        models
            .find(spec.modelName())
            .orElseThrow(
                () ->
                    RefusedRequestException.conflict(
                        "model",
                        "render "
                            + original.id()
                            + "'s model "
                            + spec.modelName()
                            + " is no longer on this farm (GET /api/v1/models)"));
    String webhook = db.inTransaction(c -> control.webhookUrl(c, original.id())).orElse(null);
    return RenderRequest.builder(spec.prompt())
        .negativePrompt(spec.negativePrompt())
        .durationSeconds(spec.durationSeconds())
        .preset(preset)
        .seed(spec.seed())
        .steps(spec.steps())
        .guidanceScale(spec.guidanceScale())
        .priority(spec.priority())
        .mode(spec.mode())
        .interpolation(spec.interpolation())
        .webhook(webhook)
        .model(model)
        .build();
  }

  /**
   * Submits {@code request} (see {@link #storedRequest}) as a retry of {@code originalId} for
   * {@code team}: a new job whose {@code retryOf} is the original. With a key, once per key as any
   * submission; the body the key is compared on names the original.
   *
   * @throws RefusedRequestException 409 while the original is still open (nothing is stored)
   */
  public RenderSubmissions.Submitted retry(
      UUID team,
      AuditLog.Actor actor,
      String idempotencyKey,
      UUID originalId,
      RenderRequest request) {
    String body = "{\"retryOf\":\"" + originalId + "\"}";
    return submissions.submit(
        team,
        actor,
        idempotencyKey,
        body,
        request,
        (c, job) -> {
          JobRow original = locked(c, originalId);
          if (!original.isFinal())
            throw RefusedRequestException.conflict(
                "status",
                "render "
                    + originalId
                    + " is "
                    + original.status()
                    + "; only a finished render (SUCCEEDED, FAILED or CANCELLED) can be retried");
          control.linkRetry(c, job.id(), originalId);
          audit.record(
              c,
              actor,
              "render.retry",
              "render",
              job.id().toString(),
              Map.of("team", team.toString(), "retryOf", originalId.toString()));
        });
  }

  private JobRow locked(Connection c, UUID jobId) throws SQLException {
    return repo.findJob(c, jobId, true)
        .orElseThrow(() -> RefusedRequestException.notFound("id", "no render " + jobId));
  }
}
