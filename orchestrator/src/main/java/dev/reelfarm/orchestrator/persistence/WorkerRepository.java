package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.bundle.BundleRef;
import dev.reelfarm.schema.messages.WorkerHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The latest heartbeat of every worker, and its quarantine. A heartbeat from a new process (another
 * pid or host: the worker restarted) starts it afresh: a new {@code started_at}, no failures held
 * against it. The bundle a heartbeat reports goes to the farm's models ({@link ModelRepository}):
 * that is how the farm learns them.
 */
@ApplicationScoped
public class WorkerRepository {
  private final ModelRepository models = new ModelRepository();

  /** A row of {@code worker}; {@code loaded}: the bundle it has loaded (null: none reported). */
  public record WorkerRow(
      String id,
      String model,
      String device,
      String host,
      Long pid,
      UUID currentJobId,
      Long currentChunkId,
      Integer currentChunkIndex,
      Instant startedAt,
      Instant lastHeartbeatAt,
      Instant quarantinedAt,
      String quarantineReason,
      BundleRef loaded) {}

  private static final String RESTARTED =
      "(worker.pid IS DISTINCT FROM excluded.pid OR worker.host IS DISTINCT FROM excluded.host)";

  private static final String UPSERT =
      ("INSERT INTO worker (id, model, device, host, pid, current_job_id, current_chunk_id, task_partitions,"
              + " model_name, model_checksum, last_heartbeat_at) VALUES (?,?,?,?,?,?,?,?,?,?, now())"
              + " ON CONFLICT (id) DO UPDATE SET model = excluded.model, model_name = excluded.model_name,"
              + " model_checksum = excluded.model_checksum,"
              + " device = excluded.device, host = excluded.host, pid = excluded.pid,"
              + " current_job_id = excluded.current_job_id, current_chunk_id = excluded.current_chunk_id,"
              + " task_partitions = excluded.task_partitions, last_heartbeat_at = now(), lost_at = NULL,"
              + " started_at = CASE WHEN RESTARTED THEN now() ELSE worker.started_at END,"
              + " consecutive_failures = CASE WHEN RESTARTED THEN 0 ELSE worker.consecutive_failures END,"
              + " quarantined_at = CASE WHEN RESTARTED THEN NULL ELSE worker.quarantined_at END,"
              + " quarantine_reason = CASE WHEN RESTARTED THEN NULL ELSE worker.quarantine_reason END")
          .replace("RESTARTED", RESTARTED);

  public void upsert(Connection c, WorkerHeartbeat h) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      s.setString(1, h.workerId());
      s.setString(2, h.model());
      s.setString(3, h.device());
      s.setString(4, h.host());
      s.setLong(5, h.pid());
      s.setObject(6, h.currentJobId());
      s.setObject(7, h.currentChunkId());
      s.setArray(
          8,
          c.createArrayOf(
              "int4",
              (h.taskPartitions() == null ? java.util.List.<Integer>of() : h.taskPartitions())
                  .toArray()));
      s.setString(9, h.modelName());
      s.setString(10, h.bundle() == null ? null : h.bundle().checksum());
      s.executeUpdate();
    }
    if (h.bundle() != null) models.report(c, h.bundle());
  }

  /**
   * A live worker that owns chunk-task partitions and has no chunk dispatched to it or running;
   * {@code quarantined}: in quarantine and not yet due for a probe; {@code loaded}: its bundle.
   */
  public record IdleWorker(
      String id, List<Integer> partitions, boolean quarantined, BundleRef loaded) {}

  /**
   * Live workers with partitions, no DISPATCHED/RUNNING chunk aimed at them and no chunk named in
   * their heartbeat that is unfinished or was finished by another worker (a worker hung on a chunk
   * taken from it is busy for as long as it says so; one whose heartbeat still names the chunk it
   * just finished itself is idle at once), least recently busy first; a quarantined one is due for
   * a probe {@code probeAfterSeconds} after its latest failure.
   */
  public List<IdleWorker> idle(Connection c, int maxAgeSeconds, int probeAfterSeconds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT w.id, w.task_partitions, coalesce(w.quarantined_at > now() - make_interval(secs => ?), false),"
                + " w.model_name, w.model_checksum"
                + " FROM worker w WHERE w.last_heartbeat_at > now() - make_interval(secs => ?)"
                + " AND NOT EXISTS (SELECT 1 FROM chunk cur WHERE cur.id = w.current_chunk_id"
                + " AND (cur.status NOT IN ('DONE','FAILED','CANCELLED') OR cur.worker_id IS DISTINCT FROM w.id))"
                + " AND cardinality(w.task_partitions) > 0 AND NOT EXISTS (SELECT 1 FROM chunk ch WHERE ch.status IN ('DISPATCHED','RUNNING')"
                + " AND w.id = CASE WHEN ch.status = 'RUNNING' THEN ch.worker_id ELSE ch.target_worker END) ORDER BY w.id")) {
      s.setInt(1, probeAfterSeconds);
      s.setInt(2, maxAgeSeconds);
      List<IdleWorker> idle = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          idle.add(
              new IdleWorker(
                  r.getString(1),
                  java.util.Arrays.asList((Integer[]) r.getArray(2).getArray()),
                  r.getBoolean(3),
                  loaded(r, 4, 5)));
      }
      return idle;
    }
  }

  /** How many live workers report partitions (0: route by key hashing instead). */
  public int routable(Connection c, int maxAgeSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*) FROM worker WHERE last_heartbeat_at > now() - make_interval(secs => ?) AND cardinality(task_partitions) > 0")) {
      s.setInt(1, maxAgeSeconds);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** The bundles the live workers have loaded, by worker id (null: one that reported none). */
  public java.util.Map<String, BundleRef> liveModels(Connection c, int maxAgeSeconds)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, model_name, model_checksum FROM worker"
                + " WHERE last_heartbeat_at > now() - make_interval(secs => ?)")) {
      s.setInt(1, maxAgeSeconds);
      var models = new java.util.HashMap<String, BundleRef>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) models.put(r.getString(1), loaded(r, 2, 3));
      }
      return models;
    }
  }

  private static BundleRef loaded(ResultSet r, int name, int checksum) throws SQLException {
    String modelName = r.getString(name);
    return modelName == null ? null : new BundleRef(modelName, r.getString(checksum));
  }

  /** Workers heard from within {@code maxAgeSeconds}. */
  public int liveCount(Connection c, int maxAgeSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*) FROM worker WHERE last_heartbeat_at > now() - make_interval(secs => ?)")) {
      s.setInt(1, maxAgeSeconds);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }

  /** Workers heard from within {@code maxAgeSeconds}, most recently seen first. */
  public List<WorkerRow> live(Connection c, int maxAgeSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT w.*, ch.chunk_index FROM worker w LEFT JOIN chunk ch ON ch.id = w.current_chunk_id"
                + " WHERE w.last_heartbeat_at > now() - make_interval(secs => ?) ORDER BY w.id")) {
      s.setInt(1, maxAgeSeconds);
      List<WorkerRow> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          long pid = r.getLong("pid");
          Long chunk = r.getLong("current_chunk_id");
          if (r.wasNull()) chunk = null;
          Integer chunkIndex = r.getInt("chunk_index");
          if (r.wasNull()) chunkIndex = null;
          rows.add(
              new WorkerRow(
                  r.getString("id"),
                  r.getString("model"),
                  r.getString("device"),
                  r.getString("host"),
                  pid,
                  r.getObject("current_job_id", UUID.class),
                  chunk,
                  chunkIndex,
                  r.getTimestamp("started_at").toInstant(),
                  r.getTimestamp("last_heartbeat_at").toInstant(),
                  Rows.instant(r, "quarantined_at"),
                  r.getString("quarantine_reason"),
                  loaded(r, r.findColumn("model_name"), r.findColumn("model_checksum"))));
        }
      }
      return rows;
    }
  }
}
