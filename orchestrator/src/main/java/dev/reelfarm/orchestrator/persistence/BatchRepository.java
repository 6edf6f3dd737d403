package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.BatchDelivery;
import dev.reelfarm.schema.api.BatchStatus;
import dev.reelfarm.schema.api.SequenceStatus;
import dev.reelfarm.schema.api.ShotTransition;
import dev.reelfarm.schema.messages.SequenceEvent;
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
import java.util.UUID;

/**
 * SQL for batches ({@code render_batch}) and their shots' jobs. A batch's sequence and final status
 * change by compare-and-set: the UPDATE names the state it expects, so a repeated or late encoder
 * report, or two transactions finishing one batch, change it once.
 */
@ApplicationScoped
public class BatchRepository {
  private static final String INSERT =
      "INSERT INTO render_batch (id, team_id, deliver, transition, transition_seconds, shot_count,"
          + " webhook_url) VALUES (?,?,?,?,?,?,?)";
  private static final String LIST =
      "SELECT * FROM render_batch WHERE (?::uuid IS NULL OR team_id = ?)"
          + " AND (?::timestamptz IS NULL OR created_at < ?) ORDER BY created_at DESC, id DESC LIMIT ?";

  public void insert(
      Connection c,
      UUID id,
      UUID team,
      BatchDelivery deliver,
      ShotTransition transition,
      Double transitionSeconds,
      int shots,
      String webhook)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setObject(1, id);
      s.setObject(2, team);
      s.setString(3, deliver.id());
      s.setString(4, transition == null ? null : transition.id());
      s.setObject(5, transitionSeconds, Types.DOUBLE);
      s.setInt(6, shots);
      s.setString(7, webhook);
      s.executeUpdate();
    }
  }

  /** Makes job {@code jobId} shot {@code index} of {@code batchId} (in the job's transaction). */
  public void attach(Connection c, UUID jobId, UUID batchId, int index) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE render_job SET batch_id = ?, batch_index = ? WHERE id = ?")) {
      s.setObject(1, batchId);
      s.setInt(2, index);
      s.setObject(3, jobId);
      s.executeUpdate();
    }
  }

  /** The batch job {@code jobId} is a shot of, if any. */
  public Optional<UUID> batchOf(Connection c, UUID jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT batch_id FROM render_job WHERE id = ? AND batch_id IS NOT NULL")) {
      s.setObject(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getObject(1, UUID.class)) : Optional.empty();
      }
    }
  }

  /**
   * The batch; {@code forUpdate} locks its row. Transactions lock a shot's job before its batch (a
   * job's terminal event evaluates its batch), so no path may hold a batch while it waits for a
   * job.
   */
  public Optional<BatchRow> find(Connection c, UUID id, boolean forUpdate) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM render_batch WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
      s.setObject(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(row(r)) : Optional.empty();
      }
    }
  }

  /** The batch's shots' jobs, in shot order. */
  public List<JobRow> shots(Connection c, UUID batchId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT * FROM render_job WHERE batch_id = ? ORDER BY batch_index")) {
      s.setObject(1, batchId);
      List<JobRow> jobs = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) jobs.add(Rows.job(r));
      }
      return jobs;
    }
  }

  /**
   * Newest first, of every team when {@code team} is null; {@code before} is the created_at of the
   * last batch of the previous page.
   */
  public List<BatchRow> list(Connection c, UUID team, Instant before, int limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LIST)) {
      s.setObject(1, team);
      s.setObject(2, team);
      Timestamp ts = before == null ? null : Timestamp.from(before);
      s.setTimestamp(3, ts);
      s.setTimestamp(4, ts);
      s.setInt(5, limit);
      List<BatchRow> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) rows.add(row(r));
      }
      return rows;
    }
  }

  /** No sequence yet → ENCODING (the sequence task is enqueued in the same transaction). */
  public boolean startSequence(Connection c, UUID id) throws SQLException {
    return update(
        c,
        "UPDATE render_batch SET sequence_status = 'ENCODING' WHERE id = ? AND sequence_status IS NULL"
            + " AND cancel_requested_at IS NULL",
        id);
  }

  /** ENCODING → SUCCEEDED with the encoder's video and the plan it followed. */
  public boolean recordSequence(Connection c, SequenceEvent.Encoded v) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_batch SET sequence_status = 'SUCCEEDED', sequence_uri = ?,"
                + " sequence_size_bytes = ?, sequence_frames = ?, sequence_duration_seconds = ?,"
                + " sequence_encode_ms = ?, sequence_shot_starts = ?, sequence_transition_frames = ?"
                + " WHERE id = ? AND sequence_status = 'ENCODING'")) {
      s.setString(1, v.videoUri());
      s.setLong(2, v.sizeBytes());
      s.setInt(3, v.frames());
      s.setDouble(4, v.durationSeconds());
      s.setLong(5, v.encodeMs());
      s.setArray(6, c.createArrayOf("int4", v.shotStartFrames().toArray()));
      s.setInt(7, v.transitionFrames());
      s.setObject(8, v.batchId());
      return s.executeUpdate() == 1;
    }
  }

  /** ENCODING → FAILED with the encoder's error. */
  public boolean failSequence(Connection c, UUID id, String error) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_batch SET sequence_status = 'FAILED', sequence_error = ?"
                + " WHERE id = ? AND sequence_status = 'ENCODING'")) {
      s.setString(1, error);
      s.setObject(2, id);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Records a cancel (once): no sequence starts after it, and one being encoded is CANCELLED (the
   * encoder's late report is then dropped by the compare-and-set above).
   */
  public void requestCancel(Connection c, UUID id) throws SQLException {
    update(
        c,
        "UPDATE render_batch SET cancel_requested_at = coalesce(cancel_requested_at, now()),"
            + " sequence_status = CASE WHEN sequence_status = 'ENCODING' THEN 'CANCELLED'"
            + " ELSE sequence_status END WHERE id = ? AND final_status IS NULL",
        id);
  }

  /**
   * A SUCCEEDED sequence batch whose shots all still have their intermediates → open again, its
   * sequence to be encoded anew (a shot was re-rendered): the old video stays listed until the new
   * one replaces it. False when it is not such a batch.
   */
  public boolean reopenSequence(Connection c, UUID id) throws SQLException {
    return update(
        c,
        "UPDATE render_batch SET final_status = NULL, finished_at = NULL, sequence_status = NULL"
            + " WHERE id = ? AND deliver = 'sequence' AND final_status = 'SUCCEEDED'"
            + " AND sequence_status = 'SUCCEEDED' AND cancel_requested_at IS NULL"
            + " AND NOT EXISTS (SELECT 1 FROM render_job j WHERE j.batch_id = render_batch.id"
            + " AND j.intermediates_removed_at IS NOT NULL)",
        id);
  }

  /** Not final → {@code status} (final), once. */
  public boolean finish(Connection c, UUID id, BatchStatus status) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_batch SET final_status = ?, finished_at = now()"
                + " WHERE id = ? AND final_status IS NULL")) {
      s.setString(1, status.name());
      s.setObject(2, id);
      return s.executeUpdate() == 1;
    }
  }

  private static boolean update(Connection c, String sql, UUID id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, id);
      return s.executeUpdate() == 1;
    }
  }

  private static BatchRow row(ResultSet r) throws SQLException {
    String sequenceStatus = r.getString("sequence_status");
    String transition = r.getString("transition");
    String finalStatus = r.getString("final_status");
    var sequence =
        new BatchRow.Sequence(
            sequenceStatus == null ? null : SequenceStatus.valueOf(sequenceStatus),
            r.getString("sequence_error"),
            r.getString("sequence_uri"),
            Rows.nullableLong(r, "sequence_size_bytes"),
            Rows.nullableInt(r, "sequence_frames"),
            Rows.nullableDouble(r, "sequence_duration_seconds"),
            Rows.nullableLong(r, "sequence_encode_ms"),
            r.getArray("sequence_shot_starts") == null
                ? null
                : Rows.ints(r.getArray("sequence_shot_starts")),
            Rows.nullableInt(r, "sequence_transition_frames"));
    return new BatchRow(
        r.getObject("id", UUID.class),
        r.getObject("team_id", UUID.class),
        BatchDelivery.find(r.getString("deliver")).orElseThrow(),
        transition == null ? null : ShotTransition.find(transition).orElseThrow(),
        Rows.nullableDouble(r, "transition_seconds"),
        r.getInt("shot_count"),
        r.getString("webhook_url"),
        Rows.instant(r, "cancel_requested_at"),
        sequence,
        finalStatus == null ? null : BatchStatus.valueOf(finalStatus),
        Rows.instant(r, "created_at"),
        Rows.instant(r, "finished_at"));
  }
}
