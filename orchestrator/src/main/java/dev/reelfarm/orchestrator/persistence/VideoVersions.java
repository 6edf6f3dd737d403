package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for the versions of a job's video ({@code render_video}): 1 is the first render, each chunk
 * re-render adds one. {@link RenderRepository#recordVideo} fills a version's video when the encoder
 * delivers it; {@link QueueControlRepository#startRerender} opens the next one.
 */
@ApplicationScoped
public class VideoVersions {
  private static final String COLUMNS =
      "SELECT version, chunk_index, chunk_seed, video_uri, poster_uri, size_bytes, duration_seconds,"
          + " frames, created_at, finished_at FROM render_video WHERE job_id = ?";

  /**
   * One version; {@code chunk} and {@code chunkSeed} are the chunk re-rendered for it (null for
   * version 1), {@code videoUri} is null until it is delivered.
   */
  public record Row(
      int version,
      Integer chunk,
      Long chunkSeed,
      String videoUri,
      String posterUri,
      Long sizeBytes,
      Double durationSeconds,
      Integer frames,
      Instant createdAt,
      Instant finishedAt) {}

  /** The job's versions, oldest first. */
  public List<Row> list(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " ORDER BY version")) {
      s.setObject(1, jobId);
      return rows(s);
    }
  }

  public Optional<Row> find(Connection c, UUID jobId, int version) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COLUMNS + " AND version = ?")) {
      s.setObject(1, jobId);
      s.setInt(2, version);
      return rows(s).stream().findFirst();
    }
  }

  private static List<Row> rows(PreparedStatement s) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        rows.add(
            new Row(
                r.getInt("version"),
                (Integer) r.getObject("chunk_index"),
                (Long) r.getObject("chunk_seed"),
                r.getString("video_uri"),
                r.getString("poster_uri"),
                (Long) r.getObject("size_bytes"),
                (Double) r.getObject("duration_seconds"),
                (Integer) r.getObject("frames"),
                Rows.instant(r, "created_at"),
                Rows.instant(r, "finished_at")));
      }
    }
    return rows;
  }
}
