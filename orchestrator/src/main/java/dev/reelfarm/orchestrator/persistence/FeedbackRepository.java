package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.FeedbackRecord;
import dev.reelfarm.schema.api.FeedbackRequest;
import dev.reelfarm.schema.api.FeedbackView;
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
import java.util.UUID;

/**
 * Ratings of renders (table {@code render_feedback}): one per render and API key, replaced by the
 * key's next one; the export reads them with their render's request, model and video.
 */
@ApplicationScoped
public class FeedbackRepository {
  private static final String COLUMNS =
      "id, job_id, key_id, rating, tags, comment, created_at, updated_at";
  // The conflict target is the unique index of V17 (keys are null when auth is off).
  private static final String UPSERT =
      "INSERT INTO render_feedback (id, job_id, team_id, key_id, rating, tags, comment,"
          + " model_version, model_checksum) VALUES (?,?,?,?,?,?,?,?,?)"
          + " ON CONFLICT (job_id, (COALESCE(key_id, '00000000-0000-0000-0000-000000000000'::uuid)))"
          + " DO UPDATE SET rating = excluded.rating, tags = excluded.tags,"
          + " comment = excluded.comment, model_version = excluded.model_version,"
          + " model_checksum = excluded.model_checksum, updated_at = now()"
          + " RETURNING "
          + COLUMNS
          + ", (xmax = 0) AS inserted";
  private static final String EXPORT =
      "SELECT j.*, t.name AS team_name, f.id AS feedback_id, f.rating, f.tags, f.comment,"
          + " f.model_version AS feedback_model_version,"
          + " f.model_checksum AS feedback_model_checksum, f.created_at AS feedback_created_at,"
          + " f.updated_at AS feedback_updated_at"
          + " FROM render_feedback f JOIN render_job j ON j.id = f.job_id"
          + " JOIN team t ON t.id = f.team_id"
          + " WHERE (?::uuid IS NULL OR f.team_id = ?)"
          + " AND (?::timestamptz IS NULL OR f.updated_at >= ?) AND f.rating >= ?"
          + " AND (?::timestamptz IS NULL OR (f.updated_at, f.id) > (?, ?))"
          + " ORDER BY f.updated_at, f.id LIMIT ?";

  /** What a key's rating left: the stored feedback, and whether it is the key's first. */
  public record Saved(FeedbackView feedback, boolean created) {}

  /** The model build a feedback records (null parts: unknown). */
  public record ModelBuild(String version, String checksum) {}

  /** Where an export page starts: after this feedback of the previous page. */
  public record Cursor(Instant updatedAt, UUID id) {}

  /** Stores {@code key}'s feedback on {@code job} of {@code team}, replacing its earlier one. */
  public Saved save(
      Connection c, UUID job, UUID team, UUID key, FeedbackRequest feedback, ModelBuild model)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setObject(1, UUID.randomUUID());
      s.setObject(2, job);
      s.setObject(3, team);
      s.setObject(4, key);
      s.setInt(5, feedback.rating());
      s.setArray(6, c.createArrayOf("text", feedback.tags().toArray()));
      s.setString(7, feedback.comment());
      s.setString(8, model.version());
      s.setString(9, model.checksum());
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return new Saved(view(r), r.getBoolean("inserted"));
      }
    }
  }

  /** The feedback on {@code job}, newest first. */
  public List<FeedbackView> forJob(Connection c, UUID job) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM render_feedback WHERE job_id = ? ORDER BY updated_at DESC, id")) {
      s.setObject(1, job);
      List<FeedbackView> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) out.add(view(r));
      }
      return out;
    }
  }

  /**
   * Up to {@code limit} feedback records, oldest change first: of {@code team} (null: every team),
   * changed at or after {@code since} (null: ever), rated at least {@code minRating}, after {@code
   * after} (null: from the first).
   */
  public List<FeedbackRecord> export(
      Connection c, UUID team, Instant since, int minRating, Cursor after, int limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(EXPORT)) {
      s.setObject(1, team);
      s.setObject(2, team);
      Timestamp from = since == null ? null : Timestamp.from(since);
      s.setTimestamp(3, from);
      s.setTimestamp(4, from);
      s.setInt(5, minRating);
      Timestamp cursor = after == null ? null : Timestamp.from(after.updatedAt());
      s.setTimestamp(6, cursor);
      s.setTimestamp(7, cursor);
      s.setObject(8, after == null ? null : after.id());
      s.setInt(9, limit);
      List<FeedbackRecord> out = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) out.add(record(r));
      }
      return out;
    }
  }

  private static FeedbackRecord record(ResultSet r) throws SQLException {
    JobRow job = Rows.job(r);
    JobRow.Spec spec = job.spec();
    var parameters =
        new FeedbackRecord.Parameters(
            spec.durationSeconds(),
            spec.preset(),
            spec.steps(),
            spec.guidanceScale(),
            spec.mode(),
            spec.interpolation() == null ? null : spec.interpolation().id(),
            spec.nativeFps(),
            spec.nativeWidth(),
            spec.nativeHeight());
    var model =
        new FeedbackRecord.Model(
            spec.modelName(),
            r.getString("feedback_model_version"),
            r.getString("feedback_model_checksum"));
    var video =
        new FeedbackRecord.Video(
            job.result().videoUri(),
            "/api/v1/renders/" + job.id() + "/video",
            job.result().videoFrames(),
            job.result().videoDurationSeconds());
    return new FeedbackRecord(
        r.getObject("feedback_id", UUID.class),
        job.id(),
        r.getString("team_name"),
        spec.prompt(),
        spec.negativePrompt(),
        spec.seed(),
        parameters,
        model,
        r.getInt("rating"),
        tags(r.getArray("tags")),
        r.getString("comment"),
        video,
        Rows.instant(r, "feedback_created_at"),
        Rows.instant(r, "feedback_updated_at"));
  }

  private static FeedbackView view(ResultSet r) throws SQLException {
    return new FeedbackView(
        r.getObject("id", UUID.class),
        r.getObject("job_id", UUID.class),
        r.getInt("rating"),
        tags(r.getArray("tags")),
        r.getString("comment"),
        r.getObject("key_id", UUID.class),
        Rows.instant(r, "created_at"),
        Rows.instant(r, "updated_at"));
  }

  private static List<String> tags(Array array) throws SQLException {
    return List.copyOf(Arrays.asList((String[]) array.getArray()));
  }
}
