package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.orchestrator.planning.PlannedChunk;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for jobs, chunks and the outbox. Every state change is compare-and-set: the UPDATE names
 * the state (and for chunk results, the run) it expects and reports whether exactly one row
 * changed, so concurrent or late writers cannot overwrite each other.
 */
@ApplicationScoped
public class RenderRepository {

  public void insertJob(Connection c, JobRow j) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO render_job (id, status, prompt, negative_prompt, duration_seconds, preset, seed, steps,"
                + " guidance_scale, priority, mode, model_name, native_fps, native_width, native_height, total_frames)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setObject(1, j.id());
      s.setString(2, j.status());
      s.setString(3, j.prompt());
      s.setString(4, j.negativePrompt());
      s.setDouble(5, j.durationSeconds());
      s.setString(6, j.preset());
      s.setLong(7, j.seed());
      s.setInt(8, j.steps());
      s.setDouble(9, j.guidanceScale());
      s.setInt(10, j.priority());
      s.setString(11, j.mode());
      s.setString(12, j.modelName());
      s.setInt(13, j.nativeFps());
      s.setInt(14, j.nativeWidth());
      s.setInt(15, j.nativeHeight());
      s.setInt(16, j.totalFrames());
      s.executeUpdate();
    }
  }

  public void insertChunk(Connection c, UUID jobId, PlannedChunk p, String status, int steps, int criticalPath) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO chunk (job_id, chunk_index, status, window_start, window_frames, owned_start, owned_end,"
                + " depends_on, context_frames, steps, role, frames, critical_path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      s.setObject(1, jobId);
      s.setInt(2, p.index());
      s.setString(3, status);
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

  public Optional<JobRow> findJob(Connection c, UUID id, boolean forUpdate) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM render_job WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
      s.setObject(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(job(r)) : Optional.empty();
      }
    }
  }

  /** Newest first; {@code before} is the created_at of the last job of the previous page. */
  public List<JobRow> listJobs(Connection c, String status, Instant before, int limit) throws SQLException {
    String sql =
        "SELECT * FROM render_job WHERE (?::text IS NULL OR status = ?) AND (?::timestamptz IS NULL OR created_at < ?)"
            + " ORDER BY created_at DESC, id DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, status);
      s.setString(2, status);
      Timestamp ts = before == null ? null : Timestamp.from(before);
      s.setTimestamp(3, ts);
      s.setTimestamp(4, ts);
      s.setInt(5, limit);
      List<JobRow> jobs = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) jobs.add(job(r));
      }
      return jobs;
    }
  }

  public List<ChunkRow> chunks(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM chunk WHERE job_id = ? ORDER BY chunk_index")) {
      s.setObject(1, jobId);
      List<ChunkRow> chunks = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) chunks.add(chunk(r));
      }
      return chunks;
    }
  }

  public Optional<ChunkRow> findChunk(Connection c, long chunkId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM chunk WHERE id = ?")) {
      s.setLong(1, chunkId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(chunk(r)) : Optional.empty();
      }
    }
  }

  /** Ready chunks of live jobs, highest priority and oldest job first, locked for this dispatcher. */
  public List<ChunkRow> lockReadyChunks(Connection c, int limit) throws SQLException {
    String sql =
        "SELECT ch.* FROM chunk ch JOIN render_job j ON j.id = ch.job_id"
            + " WHERE ch.status = 'READY' AND j.status IN ('QUEUED','RUNNING')"
            + " ORDER BY j.priority DESC, j.created_at, ch.critical_path DESC, ch.chunk_index LIMIT ? FOR UPDATE OF ch SKIP LOCKED";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setInt(1, limit);
      List<ChunkRow> chunks = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) chunks.add(chunk(r));
      }
      return chunks;
    }
  }

  public int countInFlight(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM chunk WHERE status IN ('DISPATCHED','RUNNING')");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  /** READY → DISPATCHED, remembering which worker's partition the task was sent to (null: by key). */
  public boolean markDispatched(Connection c, long chunkId, String targetWorker) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE chunk SET status = 'DISPATCHED', dispatched_at = now(), target_worker = ? WHERE id = ? AND status = 'READY'")) {
      s.setString(1, targetWorker);
      s.setLong(2, chunkId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * A worker started a run. A new run supersedes the previous one (its worker died or lost its
   * partition): the attempt count goes up and results are fenced to the new run id.
   */
  public boolean startRun(Connection c, long chunkId, UUID runId, String workerId, int steps) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = 'RUNNING', attempt = attempt + 1, run_id = ?, worker_id = ?, step = 0, steps = ?,"
                + " started_at = now(), error = NULL"
                + " WHERE id = ? AND status IN ('DISPATCHED','RUNNING') AND run_id IS DISTINCT FROM ?")) {
      s.setObject(1, runId);
      s.setString(2, workerId);
      s.setInt(3, steps);
      s.setLong(4, chunkId);
      s.setObject(5, runId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Records a step of the chunk's current run (a later step only).
   *
   * @return the chunk's index, or empty when the step was not recorded
   */
  public java.util.OptionalInt recordStep(Connection c, long chunkId, UUID runId, int step, String previewUri) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET step = ?, preview_uri = coalesce(?, preview_uri) WHERE id = ? AND status = 'RUNNING' AND run_id = ? AND step < ?"
                + " RETURNING chunk_index")) {
      s.setInt(1, step);
      s.setString(2, previewUri);
      s.setLong(3, chunkId);
      s.setObject(4, runId);
      s.setInt(5, step);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? java.util.OptionalInt.of(r.getInt(1)) : java.util.OptionalInt.empty();
      }
    }
  }

  /** Accepts a result only from the chunk's current run. */
  public boolean completeRun(
      Connection c, long chunkId, UUID runId, String framesUri, String latentsUri, long textMs, long denoiseMs, long decodeMs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = 'DONE', step = steps, frames_uri = ?, latents_uri = ?, finished_at = now(),"
                + " text_ms = ?, denoise_ms = ?, decode_ms = ? WHERE id = ? AND status = 'RUNNING' AND run_id = ?")) {
      s.setString(1, framesUri);
      s.setString(2, latentsUri);
      s.setLong(3, textMs);
      s.setLong(4, denoiseMs);
      s.setLong(5, decodeMs);
      s.setLong(6, chunkId);
      s.setObject(7, runId);
      return s.executeUpdate() == 1;
    }
  }

  /** The current run failed: either back to DISPATCHED for another run, or FAILED for good. */
  public boolean failRun(Connection c, long chunkId, UUID runId, String error, boolean retry) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = ?, error = ?, target_worker = NULL, finished_at = CASE WHEN ? THEN NULL ELSE now() END,"
                + " dispatched_at = CASE WHEN ? THEN now() ELSE dispatched_at END"
                + " WHERE id = ? AND status = 'RUNNING' AND run_id = ?")) {
      s.setString(1, retry ? "DISPATCHED" : "FAILED");
      s.setString(2, error);
      s.setBoolean(3, retry);
      s.setBoolean(4, retry);
      s.setLong(5, chunkId);
      s.setObject(6, runId);
      return s.executeUpdate() == 1;
    }
  }

  /** PENDING chunks of a job whose dependencies are all DONE become READY. */
  public int releaseDependants(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk ch SET status = 'READY' WHERE ch.job_id = ? AND ch.status = 'PENDING' AND NOT EXISTS ("
                + " SELECT 1 FROM chunk d WHERE d.job_id = ch.job_id AND d.chunk_index = ANY(ch.depends_on) AND d.status <> 'DONE')")) {
      s.setObject(1, jobId);
      return s.executeUpdate();
    }
  }

  public int cancelOpenChunks(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE chunk SET status = 'CANCELLED', finished_at = now() WHERE job_id = ? AND status NOT IN ('DONE','FAILED','CANCELLED')")) {
      s.setObject(1, jobId);
      return s.executeUpdate();
    }
  }

  /** CAS on the job's status, stamping the time column that belongs to the new state. */
  public boolean transitionJob(Connection c, UUID jobId, List<String> from, String to, String error) throws SQLException {
    String stamp =
        switch (to) {
          case "RUNNING" -> ", started_at = coalesce(started_at, now())";
          case "ENCODING" -> ", encoding_started_at = now()";
          case "SUCCEEDED", "FAILED", "CANCELLED" -> ", finished_at = now()";
          default -> "";
        };
    try (PreparedStatement s =
        c.prepareStatement("UPDATE render_job SET status = ?, error = coalesce(?, error)" + stamp + " WHERE id = ? AND status = ANY(?)")) {
      s.setString(1, to);
      s.setString(2, error);
      s.setObject(3, jobId);
      s.setArray(4, c.createArrayOf("text", from.toArray()));
      return s.executeUpdate() == 1;
    }
  }

  public boolean recordVideo(
      Connection c, UUID jobId, String videoUri, String posterUri, long size, double duration, int frames, long encodeMs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET status = 'SUCCEEDED', finished_at = now(), video_uri = ?, poster_uri = ?,"
                + " video_size_bytes = ?, video_duration_seconds = ?, video_frames = ?, encode_ms = ?"
                + " WHERE id = ? AND status = 'ENCODING'")) {
      s.setString(1, videoUri);
      s.setString(2, posterUri);
      s.setLong(3, size);
      s.setDouble(4, duration);
      s.setInt(5, frames);
      s.setLong(6, encodeMs);
      s.setObject(7, jobId);
      return s.executeUpdate() == 1;
    }
  }

  public void enqueue(Connection c, String topic, String key, String payload) throws SQLException {
    enqueue(c, topic, key, payload, null);
  }

  /** Writes a message to the outbox; {@code partition} null means "by key". */
  public void enqueue(Connection c, String topic, String key, String payload, Integer partition) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (topic, message_key, payload, partition_no) VALUES (?,?,?,?)")) {
      s.setString(1, topic);
      s.setString(2, key);
      s.setString(3, payload);
      s.setObject(4, partition, java.sql.Types.INTEGER);
      s.executeUpdate();
    }
  }

  private static JobRow job(ResultSet r) throws SQLException {
    return new JobRow(
        r.getObject("id", UUID.class),
        r.getString("status"),
        r.getString("prompt"),
        r.getString("negative_prompt"),
        r.getDouble("duration_seconds"),
        r.getString("preset"),
        r.getLong("seed"),
        r.getInt("steps"),
        r.getDouble("guidance_scale"),
        r.getInt("priority"),
        r.getString("mode"),
        r.getString("model_name"),
        r.getInt("native_fps"),
        r.getInt("native_width"),
        r.getInt("native_height"),
        r.getInt("total_frames"),
        instant(r, "created_at"),
        instant(r, "started_at"),
        instant(r, "encoding_started_at"),
        instant(r, "finished_at"),
        r.getString("video_uri"),
        r.getString("poster_uri"),
        nullableLong(r, "video_size_bytes"),
        nullableDouble(r, "video_duration_seconds"),
        nullableInt(r, "video_frames"),
        nullableLong(r, "encode_ms"),
        r.getString("error"));
  }

  private static ChunkRow chunk(ResultSet r) throws SQLException {
    return new ChunkRow(
        r.getLong("id"),
        r.getObject("job_id", UUID.class),
        r.getInt("chunk_index"),
        r.getString("status"),
        r.getString("role"),
        ints(r.getArray("frames")),
        r.getInt("attempt"),
        r.getObject("run_id", UUID.class),
        r.getString("worker_id"),
        r.getInt("window_start"),
        r.getInt("window_frames"),
        r.getInt("owned_start"),
        r.getInt("owned_end"),
        ints(r.getArray("depends_on")),
        ints(r.getArray("context_frames")),
        r.getInt("step"),
        r.getInt("steps"),
        r.getString("frames_uri"),
        r.getString("latents_uri"),
        r.getString("preview_uri"),
        r.getString("error"),
        instant(r, "dispatched_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"),
        nullableLong(r, "text_ms"),
        nullableLong(r, "denoise_ms"),
        nullableLong(r, "decode_ms"));
  }

  private static List<Integer> ints(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((Integer[]) array.getArray());
  }

  private static Instant instant(ResultSet r, String column) throws SQLException {
    Timestamp t = r.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static Long nullableLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  private static Integer nullableInt(ResultSet r, String column) throws SQLException {
    int v = r.getInt(column);
    return r.wasNull() ? null : v;
  }

  private static Double nullableDouble(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }
}
