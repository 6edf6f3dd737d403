package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.artifacts.ArtifactLayout;
import dev.reelfarm.schema.messages.Topic;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;

/**
 * SQL for jobs, chunks and the outbox. Every state change is compare-and-set: the UPDATE names the
 * state (and for chunk results, the run) it expects and reports whether exactly one row changed, so
 * concurrent or late writers cannot overwrite each other.
 */
@ApplicationScoped
public class RenderRepository {
  private static final String INSERT_JOB =
      "INSERT INTO render_job (id, status, prompt, negative_prompt, duration_seconds, preset, seed, steps,"
          + " guidance_scale, priority, mode, model_name, native_fps, native_width, native_height, total_frames,"
          + " team_id, interpolation, model_version, model_checksum)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final String INSERT_CHUNK =
      "INSERT INTO chunk (job_id, chunk_index, status, window_start, window_frames, owned_start, owned_end,"
          + " depends_on, context_frames, steps, role, frames, critical_path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
  private static final String LIST_JOBS =
      "SELECT * FROM render_job WHERE (?::uuid IS NULL OR team_id = ?) AND (?::text IS NULL OR status = ?)"
          + " AND (?::timestamptz IS NULL OR created_at < ?) ORDER BY created_at DESC, id DESC LIMIT ?";

  private static final String COUNT_IN_FLIGHT = "SELECT count(*) FROM chunk WHERE status = ANY(?)";

  /**
   * The infills of a job whose storyboard review is not approved stay PENDING whatever their
   * anchors' state: this one statement is what keeps them from being dispatched before approval.
   */
  private static final String RELEASE_DEPENDANTS =
      "UPDATE chunk ch SET status = 'READY' WHERE ch.job_id = ? AND ch.status = 'PENDING' AND NOT EXISTS ("
          + " SELECT 1 FROM chunk d WHERE d.job_id = ch.job_id AND d.chunk_index = ANY(ch.depends_on) AND d.status <> 'DONE')"
          + " AND (ch.role <> 'INFILL' OR NOT EXISTS ("
          + " SELECT 1 FROM render_review rv WHERE rv.job_id = ch.job_id AND rv.approved_at IS NULL))";

  private static final String CANCEL_OPEN_CHUNKS =
      "UPDATE chunk SET status = 'CANCELLED', finished_at = now() WHERE job_id = ? AND status NOT IN ('DONE','FAILED','CANCELLED')";

  /**
   * ENCODING → SUCCEEDED, and the video recorded as the job's current version (a re-render's row
   * exists already; the first version's is written here).
   */
  private static final String RECORD_VIDEO =
      "WITH done AS (UPDATE render_job SET status = 'SUCCEEDED', finished_at = now(), video_uri = ?,"
          + " poster_uri = ?, video_size_bytes = ?, video_duration_seconds = ?, video_frames = ?, encode_ms = ?"
          + " WHERE id = ? AND status = 'ENCODING' AND video_version = ?"
          + " RETURNING id, video_version, video_uri, poster_uri, video_size_bytes, video_duration_seconds,"
          + " video_frames, encode_ms, finished_at)"
          + " INSERT INTO render_video (job_id, version, video_uri, poster_uri, size_bytes, duration_seconds,"
          + " frames, encode_ms, finished_at) SELECT * FROM done ON CONFLICT (job_id, version) DO UPDATE SET"
          + " video_uri = EXCLUDED.video_uri, poster_uri = EXCLUDED.poster_uri, size_bytes = EXCLUDED.size_bytes,"
          + " duration_seconds = EXCLUDED.duration_seconds, frames = EXCLUDED.frames,"
          + " encode_ms = EXCLUDED.encode_ms, finished_at = EXCLUDED.finished_at";

  private static final String ENQUEUE =
      "INSERT INTO outbox (topic, message_key, payload, partition_no) VALUES (?,?,?,?)";

  /**
   * Per output frame, from the last chunk done to the finished video, over the farm's latest
   * successes.
   */
  private static final String RECENT_FINISH_MS_PER_FRAME =
      "SELECT avg(1000 * extract(epoch FROM j.finished_at - last.done) / j.video_frames)"
          + " FROM (SELECT id, finished_at, video_frames FROM render_job"
          + "       WHERE status = 'SUCCEEDED' AND video_frames > 0 ORDER BY finished_at DESC LIMIT ?) j,"
          + " LATERAL (SELECT max(finished_at) AS done FROM chunk WHERE job_id = j.id) last";

  public void insertJob(Connection c, JobRow j) throws SQLException {
    JobRow.Spec spec = j.spec();
    try (PreparedStatement s = c.prepareStatement(INSERT_JOB)) {
      s.setObject(1, j.id());
      s.setString(2, j.status().name());
      s.setString(3, spec.prompt());
      s.setString(4, spec.negativePrompt());
      s.setDouble(5, spec.durationSeconds());
      s.setString(6, spec.preset());
      s.setLong(7, spec.seed());
      s.setInt(8, spec.steps());
      s.setDouble(9, spec.guidanceScale());
      s.setInt(10, spec.priority());
      s.setString(11, spec.mode().id());
      s.setString(12, spec.modelName());
      s.setInt(13, spec.nativeFps());
      s.setInt(14, spec.nativeWidth());
      s.setInt(15, spec.nativeHeight());
      s.setInt(16, spec.totalFrames());
      s.setObject(17, j.teamId());
      s.setString(18, spec.interpolation() == null ? null : spec.interpolation().id());
      s.setString(19, spec.modelVersion());
      s.setString(20, spec.modelChecksum());
      s.executeUpdate();
    }
  }

  public void insertChunk(
      Connection c, UUID jobId, PlannedChunk p, ChunkStatus status, int steps, int criticalPath)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT_CHUNK)) {
      s.setObject(1, jobId);
      s.setInt(2, p.index());
      s.setString(3, status.name());
      s.setInt(4, p.windowStart());
      s.setInt(5, p.windowFrames());
      s.setInt(6, p.ownedStart());
      s.setInt(7, p.ownedEnd());
      s.setArray(8, c.createArrayOf("int4", p.dependsOn().toArray()));
      s.setArray(9, c.createArrayOf("int4", p.contextFrames().toArray()));
      s.setInt(10, steps);
      s.setString(11, p.role().name());
      s.setArray(12, c.createArrayOf("int4", p.frames().toArray()));
      s.setInt(13, criticalPath);
      s.executeUpdate();
    }
  }

  /** Locks the job's row without reading it: for the hot path of workers' reports. */
  public void lockJob(Connection c, UUID id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM render_job WHERE id = ? FOR UPDATE")) {
      s.setObject(1, id);
      s.executeQuery().close();
    }
  }

  public Optional<JobRow> findJob(Connection c, UUID id, boolean forUpdate) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM render_job WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
      s.setObject(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(Rows.job(r)) : Optional.empty();
      }
    }
  }

  /**
   * Newest first, of every team when {@code team} is null and of any status when {@code status} is
   * null; {@code before} is the created_at of the last job of the previous page.
   */
  public List<JobRow> listJobs(Connection c, UUID team, JobStatus status, Instant before, int limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LIST_JOBS)) {
      s.setObject(1, team);
      s.setObject(2, team);
      String name = status == null ? null : status.name();
      s.setString(3, name);
      s.setString(4, name);
      Timestamp ts = before == null ? null : Timestamp.from(before);
      s.setTimestamp(5, ts);
      s.setTimestamp(6, ts);
      s.setInt(7, limit);
      List<JobRow> jobs = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) jobs.add(Rows.job(r));
      }
      return jobs;
    }
  }

  /** Which of {@code jobIds} belong to {@code team}. */
  public Set<UUID> ownedBy(Connection c, UUID team, Set<UUID> jobIds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT id FROM render_job WHERE team_id = ? AND id = ANY(?)")) {
      s.setObject(1, team);
      s.setArray(2, c.createArrayOf("uuid", jobIds.toArray()));
      Set<UUID> owned = new java.util.HashSet<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) owned.add(r.getObject(1, UUID.class));
      }
      return owned;
    }
  }

  public List<ChunkRow> chunks(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT * FROM chunk WHERE job_id = ? ORDER BY chunk_index")) {
      s.setObject(1, jobId);
      return chunkList(s);
    }
  }

  public Optional<ChunkRow> findChunk(Connection c, long chunkId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM chunk WHERE id = ?")) {
      s.setLong(1, chunkId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(Rows.chunk(r)) : Optional.empty();
      }
    }
  }

  /** Chunks DISPATCHED or RUNNING, over all jobs. */
  public int countInFlight(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COUNT_IN_FLIGHT)) {
      s.setArray(
          1, c.createArrayOf("text", ChunkStatus.IN_FLIGHT.stream().map(Enum::name).toArray()));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /**
   * PENDING chunks of a job whose dependencies are all DONE become READY (infills only once the
   * job's storyboard review, if it has one, is approved).
   */
  public int releaseDependants(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RELEASE_DEPENDANTS)) {
      s.setObject(1, jobId);
      return s.executeUpdate();
    }
  }

  /** The job's unfinished chunks become CANCELLED: results of their runs will be dropped. */
  public int cancelOpenChunks(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(CANCEL_OPEN_CHUNKS)) {
      s.setObject(1, jobId);
      return s.executeUpdate();
    }
  }

  /** CAS on the job's status, stamping the time column that belongs to the new state. */
  public boolean transitionJob(
      Connection c, UUID jobId, Set<JobStatus> from, JobStatus to, String error)
      throws SQLException {
    String stamp =
        switch (to) {
          case RUNNING -> ", started_at = coalesce(started_at, now())";
          case ENCODING -> ", encoding_started_at = now()";
          case SUCCEEDED, FAILED, CANCELLED -> ", finished_at = now()";
          case QUEUED, AWAITING_APPROVAL -> "";
        };
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET status = ?, error = coalesce(?, error), waiting_reason = NULL"
                + stamp
                + " WHERE id = ? AND status = ANY(?)")) {
      s.setString(1, to.name());
      s.setString(2, error);
      s.setObject(3, jobId);
      s.setArray(4, c.createArrayOf("text", from.stream().map(Enum::name).toArray()));
      return s.executeUpdate() == 1;
    }
  }

  /**
   * ENCODING → SUCCEEDED with the encoder's video, as the version the job is encoding. A video of
   * another version (a late copy of an earlier encode's report, which may arrive while a chunk
   * re-render's encode runs) is dropped: the version is read from where the encoder wrote it.
   */
  public boolean recordVideo(
      Connection c,
      UUID jobId,
      String videoUri,
      String posterUri,
      long size,
      double duration,
      int frames,
      long encodeMs)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RECORD_VIDEO)) {
      s.setString(1, videoUri);
      s.setString(2, posterUri);
      s.setLong(3, size);
      s.setDouble(4, duration);
      s.setInt(5, frames);
      s.setLong(6, encodeMs);
      s.setObject(7, jobId);
      s.setInt(8, ArtifactLayout.outputVersion(jobId, videoUri));
      return s.executeUpdate() == 1;
    }
  }

  public <T> void enqueue(Connection c, Topic<T> topic, String key, T message) throws SQLException {
    enqueue(c, topic, key, message, null);
  }

  /** Writes a message for {@code topic} to the outbox; {@code partition} null means "by key". */
  public <T> void enqueue(Connection c, Topic<T> topic, String key, T message, Integer partition)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ENQUEUE)) {
      s.setString(1, topic.name());
      s.setString(2, key);
      s.setString(3, topic.toJson(message));
      s.setObject(4, partition, Types.INTEGER);
      s.executeUpdate();
    }
  }

  /**
   * Mean milliseconds per output frame from a job's last chunk done to its video, over the {@code
   * jobs} latest successful jobs; empty before the farm has finished one.
   */
  public OptionalDouble recentFinishMsPerFrame(Connection c, int jobs) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RECENT_FINISH_MS_PER_FRAME)) {
      s.setInt(1, jobs);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        double v = r.getDouble(1);
        return r.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
      }
    }
  }

  private static List<ChunkRow> chunkList(PreparedStatement s) throws SQLException {
    List<ChunkRow> chunks = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) chunks.add(Rows.chunk(r));
    }
    return chunks;
  }
}
