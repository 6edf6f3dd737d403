package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.bundle.BundleFacts;
import dev.reelfarm.schema.bundle.BundleRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The models the farm knows ({@code model_bundle}: one row per bundle name, as the latest worker
 * heartbeat reporting it described it) and the bundle each job is pinned to.
 */
@ApplicationScoped
public class ModelRepository {
  private static final String COLUMNS =
      "name, version, checksum, native_width, native_height, native_fps, frames_per_chunk,"
          + " vae_temporal_scale, default_steps, default_guidance_scale, test_fixture";

  /** Writes only when the report differs from the row: heartbeats come every few seconds. */
  private static final String REPORT =
      "INSERT INTO model_bundle ("
          + COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (name) DO UPDATE SET"
          + " version = excluded.version, checksum = excluded.checksum,"
          + " native_width = excluded.native_width, native_height = excluded.native_height,"
          + " native_fps = excluded.native_fps, frames_per_chunk = excluded.frames_per_chunk,"
          + " vae_temporal_scale = excluded.vae_temporal_scale, default_steps = excluded.default_steps,"
          + " default_guidance_scale = excluded.default_guidance_scale,"
          + " test_fixture = excluded.test_fixture, reported_at = now()"
          + " WHERE (model_bundle.version, model_bundle.checksum, model_bundle.native_width,"
          + " model_bundle.native_height, model_bundle.native_fps, model_bundle.frames_per_chunk,"
          + " model_bundle.vae_temporal_scale, model_bundle.default_steps, model_bundle.default_guidance_scale,"
          + " model_bundle.test_fixture) IS DISTINCT FROM (excluded.version, excluded.checksum,"
          + " excluded.native_width, excluded.native_height, excluded.native_fps,"
          + " excluded.frames_per_chunk, excluded.vae_temporal_scale, excluded.default_steps, excluded.default_guidance_scale,"
          + " excluded.test_fixture)";

  /** Records a bundle a worker reported; the latest report of a name wins. */
  public void report(Connection c, BundleFacts b) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(REPORT)) {
      s.setString(1, b.name());
      s.setString(2, b.version());
      s.setString(3, b.checksum());
      s.setInt(4, b.nativeWidth());
      s.setInt(5, b.nativeHeight());
      s.setInt(6, b.nativeFps());
      s.setInt(7, b.framesPerChunk());
      s.setInt(8, b.vaeTemporalScale());
      s.setInt(9, b.defaultSteps());
      s.setDouble(10, b.defaultGuidanceScale());
      s.setBoolean(11, b.testFixture());
      s.executeUpdate();
    }
  }

  /** Every reported bundle, by name. */
  public List<BundleFacts> all(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM model_bundle ORDER BY name")) {
      return read(s);
    }
  }

  public Optional<BundleFacts> find(Connection c, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM model_bundle WHERE name = ?")) {
      s.setString(1, name);
      return read(s).stream().findFirst();
    }
  }

  /** Per model name, how many workers heard from within {@code maxAgeSeconds} have it loaded. */
  public Map<String, Integer> liveWorkers(Connection c, int maxAgeSeconds) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT model_name, count(*) FROM worker WHERE model_name IS NOT NULL"
                + " AND last_heartbeat_at > now() - make_interval(secs => ?) GROUP BY model_name")) {
      s.setInt(1, maxAgeSeconds);
      var counts = new HashMap<String, Integer>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) counts.put(r.getString(1), r.getInt(2));
      }
      return counts;
    }
  }

  /** The bundle each of {@code jobs} is pinned to. */
  public Map<UUID, BundleRef> ofJobs(Connection c, Collection<UUID> jobs) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, model_name, model_checksum FROM render_job WHERE id = ANY(?)")) {
      s.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
      var models = new HashMap<UUID, BundleRef>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next())
          models.put(r.getObject(1, UUID.class), new BundleRef(r.getString(2), r.getString(3)));
      }
      return models;
    }
  }

  private static List<BundleFacts> read(PreparedStatement s) throws SQLException {
    List<BundleFacts> rows = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next())
        rows.add(
            new BundleFacts(
                r.getString("name"),
                r.getString("version"),
                r.getString("checksum"),
                r.getInt("native_width"),
                r.getInt("native_height"),
                r.getInt("native_fps"),
                r.getInt("frames_per_chunk"),
                r.getInt("vae_temporal_scale"),
                r.getInt("default_steps"),
                r.getDouble("default_guidance_scale"),
                r.getBoolean("test_fixture")));
    }
    return rows;
  }
}
