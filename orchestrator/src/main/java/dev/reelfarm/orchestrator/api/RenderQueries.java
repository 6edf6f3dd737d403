package dev.reelfarm.orchestrator.api;

import dev.reelfarm.orchestrator.auth.Caller;
import dev.reelfarm.orchestrator.persistence.ChunkRow;
import dev.reelfarm.orchestrator.persistence.Database;
import dev.reelfarm.orchestrator.persistence.JobRow;
import dev.reelfarm.orchestrator.persistence.QueueControlRepository;
import dev.reelfarm.orchestrator.persistence.RenderRepository;
import dev.reelfarm.orchestrator.persistence.VideoVersions;
import dev.reelfarm.orchestrator.progress.JobEta;
import dev.reelfarm.orchestrator.submission.InvalidRequestException;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderPage;
import dev.reelfarm.schema.api.RenderView;
import dev.reelfarm.schema.presets.Preset;
import jakarta.ws.rs.NotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The renders a caller may see, as views: its own team's, or every team's for an admin. Another
 * team's render answers 404 exactly as a missing one does, so ids leak no existence.
 */
final class RenderQueries {
  private final Database db;
  private final RenderRepository repo;
  private final JobEta eta;
  private final VideoVersions versions = new VideoVersions();
  private final QueueControlRepository control = new QueueControlRepository();

  RenderQueries(Database db, RenderRepository repo, JobEta eta) {
    this.db = db;
    this.repo = repo;
    this.eta = eta;
  }

  /** The job {@code id} if {@code caller} may see it; 404 otherwise. */
  JobRow visibleJob(Connection c, Caller caller, UUID id) throws SQLException {
    return repo.findJob(c, id, false)
        .filter(job -> caller.sees(job.teamId()))
        .orElseThrow(() -> new NotFoundException("no render " + id));
  }

  /** As {@link #visibleJob(Connection, Caller, UUID)} in its own transaction. */
  JobRow visibleJob(Caller caller, UUID id) {
    return db.inTransaction(c -> visibleJob(c, caller, id));
  }

  RenderView view(Caller caller, UUID jobId) {
    return db.inTransaction(
        c -> {
          JobRow job = visibleJob(c, caller, jobId);
          List<ChunkRow> chunks = repo.chunks(c, jobId);
          return RenderViews.of(
              job,
              chunks,
              outputFps(job),
              eta.forRequest(c).remainingSeconds(job, chunks, Instant.now()),
              lineage(c, job));
        });
  }

  RenderPage list(Caller caller, String status, Integer limit, String before) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > 200)
      throw new InvalidRequestException("limit", "must be between 1 and 200");
    JobStatus wanted = status == null ? null : jobStatus(status);
    Instant cursor;
    try {
      cursor = before == null ? null : Instant.parse(before);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "before", "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z");
    }
    List<RenderView> items =
        db.inTransaction(
            c -> {
              Instant now = Instant.now();
              var views = new ArrayList<RenderView>();
              JobEta.Request etas = eta.forRequest(c);
              for (JobRow job : repo.listJobs(c, caller.listedTeam(), wanted, cursor, size)) {
                List<ChunkRow> chunks = repo.chunks(c, job.id());
                views.add(
                    RenderViews.of(
                        job,
                        chunks,
                        outputFps(job),
                        etas.remainingSeconds(job, chunks, now),
                        lineage(c, job)));
              }
              return views;
            });
    String next = items.size() == size ? items.get(items.size() - 1).createdAt().toString() : null;
    return new RenderPage(items, next);
  }

  /** The job it retries and its video's versions. */
  private RenderViews.Lineage lineage(Connection c, JobRow job) throws SQLException {
    return new RenderViews.Lineage(
        control.retryOf(c, job.id()).orElse(null), versions.list(c, job.id()));
  }

  private static int outputFps(JobRow job) {
    return Preset.find(job.spec().preset()).map(Preset::fps).orElse(job.spec().nativeFps());
  }

  private static JobStatus jobStatus(String name) {
    try {
      return JobStatus.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("status", "unknown status '" + name + "'");
    }
  }
}
