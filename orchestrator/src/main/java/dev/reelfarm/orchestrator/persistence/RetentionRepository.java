package dev.reelfarm.orchestrator.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows retention reads and prunes: finished jobs' intermediates, published outbox rows,
 * finished webhook deliveries.
 */
@ApplicationScoped
public class RetentionRepository {
  /**
   * Locks up to {@code limit} jobs that finished more than {@code age} ago and still have their
   * intermediates, oldest first; SKIP LOCKED, so a second sweeper takes other jobs.
   */
  public List<UUID> lockFinishedWithIntermediates(Connection c, Duration age, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM render_job WHERE status IN ('SUCCEEDED','FAILED','CANCELLED')"
                + " AND intermediates_removed_at IS NULL"
                // a sequence batch still to be encoded needs its finished shots' frames
                + " AND NOT EXISTS (SELECT 1 FROM render_batch b WHERE b.id = render_job.batch_id"
                + " AND b.deliver = 'sequence' AND b.final_status IS NULL)"
                + " AND finished_at < now() - make_interval(secs => ?)"
                + " ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
      s.setDouble(1, age.toMillis() / 1000.0);
      s.setInt(2, limit);
      List<UUID> jobs = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) jobs.add(r.getObject(1, UUID.class));
      }
      return jobs;
    }
  }

  public void markIntermediatesRemoved(Connection c, List<UUID> jobs) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE render_job SET intermediates_removed_at = now() WHERE id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
      s.executeUpdate();
    }
  }

  /**
   * Deletes up to {@code limit} outbox rows published more than {@code age} ago; returns how many.
   */
  public int deletePublishedOutbox(Connection c, Duration age, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE published_at IS NOT NULL"
                + " AND published_at < now() - make_interval(secs => ?) ORDER BY id LIMIT ?"
                + " FOR UPDATE SKIP LOCKED)")) {
      s.setDouble(1, age.toMillis() / 1000.0);
      s.setInt(2, limit);
      return s.executeUpdate();
    }
  }

  /**
   * Deletes up to {@code limit} webhook deliveries that finished (delivered or given up) more than
   * {@code age} ago, with their attempts; a pending one is never deleted. Returns how many.
   */
  public int deleteFinishedWebhookDeliveries(Connection c, Duration age, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM webhook_delivery WHERE id IN (SELECT id FROM webhook_delivery"
                + " WHERE status <> 'PENDING' AND finished_at < now() - make_interval(secs => ?)"
                + " ORDER BY finished_at LIMIT ? FOR UPDATE SKIP LOCKED)")) {
      s.setDouble(1, age.toMillis() / 1000.0);
      s.setInt(2, limit);
      return s.executeUpdate();
    }
  }
}
