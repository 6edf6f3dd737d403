package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.orchestrator.planning.PlannedChunk;
import dev.reelfarm.schema.api.ChunkRole;
import dev.reelfarm.schema.api.ChunkStatus;
import dev.reelfarm.schema.api.JobStatus;
import dev.reelfarm.schema.api.RenderMode;
import dev.reelfarm.schema.presets.Interpolation;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Row mappers of {@code render_job} and {@code chunk} ({@code SELECT *}): columns to typed rows.
 */
final class Rows {

  static JobRow job(ResultSet r) throws SQLException {
    var spec =
        new JobRow.Spec(
            r.getString("prompt"),
            r.getString("negative_prompt"),
            r.getDouble("duration_seconds"),
            r.getString("preset"),
            r.getLong("seed"),
            r.getInt("steps"),
            r.getDouble("guidance_scale"),
            r.getInt("priority"),
            RenderMode.find(r.getString("mode"))
                .orElseThrow(() -> new SQLException("unknown render mode in render_job")),
            r.getString("model_name"),
            r.getInt("native_fps"),
            r.getInt("native_width"),
            r.getInt("native_height"),
            r.getInt("total_frames"),
            Optional.ofNullable(r.getString("interpolation"))
                .map(name -> Interpolation.find(name).orElseThrow())
                .orElse(null),
            r.getString("model_version"),
            r.getString("model_checksum"));
    var state =
        new JobRow.State(
            JobStatus.valueOf(r.getString("status")),
            instant(r, "created_at"),
            instant(r, "started_at"),
            instant(r, "encoding_started_at"),
            instant(r, "finished_at"),
            r.getString("error"),
            r.getString("waiting_reason"));
    var result =
        new JobRow.Result(
            r.getString("video_uri"),
            r.getString("poster_uri"),
            nullableLong(r, "video_size_bytes"),
            nullableDouble(r, "video_duration_seconds"),
            nullableInt(r, "video_frames"),
            nullableLong(r, "encode_ms"),
            r.getInt("video_version"));
    return new JobRow(
        r.getObject("id", UUID.class), r.getObject("team_id", UUID.class), spec, state, result);
  }

  static ChunkRow chunk(ResultSet r) throws SQLException {
    var plan =
        new PlannedChunk(
            r.getInt("chunk_index"),
            ChunkRole.valueOf(r.getString("role")),
            ints(r.getArray("frames")),
            r.getInt("owned_start"),
            r.getInt("owned_end"),
            ints(r.getArray("depends_on")),
            ints(r.getArray("context_frames")));
    var run =
        new ChunkRow.Run(
            ChunkStatus.valueOf(r.getString("status")),
            r.getInt("attempt"),
            r.getObject("run_id", UUID.class),
            r.getString("worker_id"),
            r.getInt("step"),
            r.getInt("steps"),
            r.getString("error"),
            instant(r, "dispatched_at"),
            instant(r, "started_at"),
            instant(r, "finished_at"),
            nullableLong(r, "seed_override"));
    var result =
        new ChunkRow.Result(
            r.getString("frames_uri"),
            r.getString("latents_uri"),
            r.getString("preview_uri"),
            nullableLong(r, "text_ms"),
            nullableLong(r, "denoise_ms"),
            nullableLong(r, "decode_ms"));
    return new ChunkRow(r.getLong("id"), r.getObject("job_id", UUID.class), plan, run, result);
  }

  static List<Integer> ints(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((Integer[]) array.getArray());
  }

  static Instant instant(ResultSet r, String column) throws SQLException {
    Timestamp t = r.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static Long nullableLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  static Integer nullableInt(ResultSet r, String column) throws SQLException {
    int v = r.getInt(column);
    return r.wasNull() ? null : v;
  }

  static Double nullableDouble(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  private Rows() {}
}
