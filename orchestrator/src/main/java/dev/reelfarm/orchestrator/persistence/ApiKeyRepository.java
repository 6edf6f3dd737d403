package dev.reelfarm.orchestrator.persistence;

import dev.reelfarm.schema.api.ApiKeyView;
import dev.reelfarm.schema.api.ApiScope;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys (table {@code api_key}). Only the SHA-256 of a key is stored; a key is found by its hash
 * (an index lookup), and the caller compares the hashes once more in constant time.
 */
@ApplicationScoped
public class ApiKeyRepository {
  private static final String SELECT =
      "SELECT k.id, k.team_id, t.name AS team_name, k.name, k.key_hash, k.key_prefix, k.scopes,"
          + " k.created_at, k.last_used_at, k.revoked_at FROM api_key k JOIN team t ON t.id ="
          + " k.team_id";

  /** A stored key with its hash (never leaves the orchestrator). */
  public record StoredKey(ApiKeyView view, String hash) {}

  /** Stores a key by its hash; nothing when that hash is stored already (a bootstrap restart). */
  public void insert(
      Connection c,
      UUID id,
      UUID team,
      String name,
      String hash,
      String prefix,
      Collection<ApiScope> scopes)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO api_key (id, team_id, name, key_hash, key_prefix, scopes)"
                + " VALUES (?,?,?,?,?,?) ON CONFLICT (key_hash) DO NOTHING")) {
      s.setObject(1, id);
      s.setObject(2, team);
      s.setString(3, name);
      s.setString(4, hash);
      s.setString(5, prefix);
      s.setArray(6, c.createArrayOf("text", scopes.stream().map(ApiScope::id).toArray()));
      s.executeUpdate();
    }
  }

  public Optional<StoredKey> findByHash(Connection c, String hash) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE k.key_hash = ?")) {
      s.setString(1, hash);
      List<StoredKey> keys = list(s);
      return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
    }
  }

  public Optional<ApiKeyView> find(Connection c, UUID id) throws SQLException {
    return findStored(c, id).map(StoredKey::view);
  }

  public Optional<StoredKey> findStored(Connection c, UUID id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE k.id = ?")) {
      s.setObject(1, id);
      return list(s).stream().findFirst();
    }
  }

  /** A team's keys, newest first, revoked ones included. */
  public List<ApiKeyView> ofTeam(Connection c, UUID team) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(SELECT + " WHERE k.team_id = ? ORDER BY k.created_at DESC, k.id")) {
      s.setObject(1, team);
      return list(s).stream().map(StoredKey::view).toList();
    }
  }

  /** Revokes a key (once: a second revoke keeps the first time); empty when there is none. */
  public Optional<ApiKeyView> revoke(Connection c, UUID id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = ?")) {
      s.setObject(1, id);
      if (s.executeUpdate() == 0) return Optional.empty();
    }
    return find(c, id);
  }

  /** Stamps the key's last use unless it was stamped within the last minute. */
  public void touch(Connection c, UUID id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE api_key SET last_used_at = now() WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")) {
      s.setObject(1, id);
      s.executeUpdate();
    }
  }

  private static List<StoredKey> list(PreparedStatement s) throws SQLException {
    List<StoredKey> keys = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        var view =
            new ApiKeyView(
                r.getObject("id", UUID.class),
                r.getObject("team_id", UUID.class),
                r.getString("team_name"),
                r.getString("name"),
                r.getString("key_prefix"),
                scopes(r.getArray("scopes")),
                instant(r.getTimestamp("created_at")),
                instant(r.getTimestamp("last_used_at")),
                instant(r.getTimestamp("revoked_at")),
                null);
        keys.add(new StoredKey(view, r.getString("key_hash")));
      }
    }
    return keys;
  }

  private static List<ApiScope> scopes(Array array) throws SQLException {
    return Arrays.stream((String[]) array.getArray()).map(ApiScope::of).toList();
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
